using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019), with PyTorch 1.13's update rule
/// (<c>torch.optim.AdamW</c>, amsgrad off).</summary>
/// <remarks>
/// <para>For each parameter p with gradient g at its step t (counted per parameter, from 1):</para>
/// <code>
/// p = p · (1 − lr·λ)
/// m = β₁·m + (1 − β₁)·g
/// v = β₂·v + (1 − β₂)·g²
/// p = p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </remarks>
public sealed class AdamWOptimizer : Optimizer
{
    private readonly AdamMoments _moments;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to update: at least one, none repeated.</param>
    /// <param name="learningRate">Learning rate, a finite number ≥ 0. Default: 1e-3.</param>
    /// <param name="beta1">Decay β₁ of the first-moment average, in [0, 1). Default: 0.9.</param>
    /// <param name="beta2">Decay β₂ of the second-moment average, in [0, 1). Default: 0.999.</param>
    /// <param name="epsilon">ε added to the denominator, ≥ 0. Default: 1e-8.</param>
    /// <param name="weightDecay">Decoupled decay λ ≥ 0: each step multiplies p by 1 − lr·λ. Default: 0.01.</param>
    public AdamWOptimizer(IEnumerable<ModuleParameter> parameters, double learningRate = 1e-3, double beta1 = 0.9,
        double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
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

    /// <summary>Decoupled weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void UpdateParameter(int index, Tensor value, Tensor gradient)
    {
        if (WeightDecay != 0)
        {
            value.MulInPlace(1 - LearningRate * WeightDecay);
        }

        _moments.Apply(index, value, gradient, LearningRate);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _moments.Dispose();
}
