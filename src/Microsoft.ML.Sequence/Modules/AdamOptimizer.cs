using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Adam (Kingma &amp; Ba, 2015) with optional L2 weight decay added to the gradient, with PyTorch 1.13's
/// bias-corrected update rule (<c>torch.optim.Adam</c>, amsgrad off).</summary>
/// <remarks>
/// <para>For each parameter p with gradient g at its step t (counted per parameter, from 1):</para>
/// <code>
/// g = g + λ·p                      (when weight decay λ ≠ 0)
/// m = β₁·m + (1 − β₁)·g
/// v = β₂·v + (1 − β₂)·g²
/// p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// <para>L2 decay through the gradient is scaled by Adam's adaptive step; for decay decoupled from it use
/// <see cref="AdamWOptimizer"/>.</para>
/// </remarks>
public sealed class AdamOptimizer : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to update: at least one, none repeated.</param>
    /// <param name="learningRate">Learning rate, a finite number ≥ 0. Default: 1e-3.</param>
    /// <param name="beta1">Decay β₁ of the first-moment average, in [0, 1). Default: 0.9.</param>
    /// <param name="beta2">Decay β₂ of the second-moment average, in [0, 1). Default: 0.999.</param>
    /// <param name="epsilon">ε added to the denominator, ≥ 0. Default: 1e-8.</param>
    /// <param name="weightDecay">L2 penalty λ ≥ 0 added to the gradient. Default: 0.</param>
    public AdamOptimizer(IEnumerable<ModuleParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Beta1 = Arguments.HalfOpen(beta1, 0, 1, nameof(beta1));
        Beta2 = Arguments.HalfOpen(beta2, 0, 1, nameof(beta2));
        Epsilon = Arguments.NonNegative(epsilon, nameof(epsilon));
        WeightDecay = Arguments.NonNegative(weightDecay, nameof(weightDecay));
        _moments = new AdamMoments(Parameters.Count, Beta1, Beta2, Epsilon);
    }

    /// <summary>Decay β₁ of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay β₂ of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void UpdateParameter(int index, Tensor value, Tensor gradient)
    {
        Tensor effective = WeightDecay != 0 ? gradient.Clone().AddInPlace(value, WeightDecay) : gradient;
        _moments.Apply(index, value, effective, LearningRate);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _moments.Dispose();
}
