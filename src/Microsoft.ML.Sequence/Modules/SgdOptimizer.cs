using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum,
/// with PyTorch 1.13's update rule.</summary>
/// <remarks>
/// <para>For each parameter p with gradient g, learning rate γ, momentum μ, dampening τ and weight decay λ:</para>
/// <code>
/// d = g + λ·p
/// if μ ≠ 0:  b = d on the first step, else b = μ·b + (1 − τ)·d
///            d = d + μ·b (Nesterov) or d = b
/// p = p − γ·d
/// </code>
/// </remarks>
public sealed class SgdOptimizer : Optimizer
{
    private readonly Tensor?[] _momentumBuffers;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to update: at least one, none repeated.</param>
    /// <param name="learningRate">Learning rate γ, a finite number ≥ 0.</param>
    /// <param name="momentum">Momentum factor μ ≥ 0. Default: 0 (plain SGD).</param>
    /// <param name="dampening">Dampening τ of the momentum, in [0, 1]. Default: 0.</param>
    /// <param name="weightDecay">L2 penalty λ ≥ 0 added to the gradient. Default: 0.</param>
    /// <param name="nesterov">Use Nesterov momentum; requires momentum &gt; 0 and dampening 0. Default: false.</param>
    public SgdOptimizer(IEnumerable<ModuleParameter> parameters, double learningRate, double momentum = 0,
        double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = Arguments.NonNegative(momentum, nameof(momentum));
        Dampening = Arguments.Closed(dampening, 0, 1, nameof(dampening));
        WeightDecay = Arguments.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"Nesterov momentum needs momentum > 0; got {momentum}.");
        }

        if (nesterov && dampening != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, $"Nesterov momentum needs dampening 0; got {dampening}.");
        }

        Nesterov = nesterov;
        _momentumBuffers = new Tensor?[Parameters.Count];
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening τ of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void UpdateParameter(int index, Tensor value, Tensor gradient)
    {
        Tensor direction = WeightDecay != 0 ? gradient.Clone().AddInPlace(value, WeightDecay) : gradient;
        if (Momentum != 0)
        {
            Tensor? buffer = _momentumBuffers[index];
            if (buffer is null)
            {
                buffer = KeepState(direction.Clone());
                _momentumBuffers[index] = buffer;
            }
            else
            {
                buffer.MulInPlace(Momentum).AddInPlace(direction, 1 - Dampening);
            }

            direction = Nesterov ? direction.Clone().AddInPlace(buffer, Momentum) : buffer;
        }

        value.AddInPlace(direction, -LearningRate);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => DisposeStates(_momentumBuffers);
}
