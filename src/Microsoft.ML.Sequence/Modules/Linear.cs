using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>A fully connected layer: y = x · Wᵀ + b.</summary>
/// <remarks>
/// <para>Parameters: <c>weight</c> [out, in] and, when <c>bias</c> is true, <c>bias</c> [out].</para>
/// <para>Initialisation (PyTorch's default for <c>nn.Linear</c>): every element from U(−1/√in, 1/√in), the bound
/// that <c>kaiming_uniform_(a=√5)</c> gives for the weight.</para>
/// </remarks>
public sealed class Linear : Module
{
    private readonly ModuleParameter _weight;
    private readonly ModuleParameter? _bias;

    /// <summary>Creates the layer with float32 parameters on the CPU.</summary>
    /// <param name="inFeatures">Width of the input's last dimension, at least 1.</param>
    /// <param name="outFeatures">Width of the output's last dimension, at least 1.</param>
    /// <param name="bias">Learn an additive bias. Default: true.</param>
    /// <param name="generator">Source of the initial values; null uses libtorch's global generator. Default: null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        using (TensorScope.Begin())
        {
            _weight = RegisterParameter("weight", Initialization.Uniform([outFeatures, inFeatures], bound, generator));
            if (bias)
            {
                _bias = RegisterParameter("bias", Initialization.Uniform([outFeatures], bound, generator));
            }
        }
    }

    /// <summary>Width of the input's last dimension.</summary>
    public int InFeatures { get; }

    /// <summary>Width of the output's last dimension.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public ModuleParameter Weight => _weight;

    /// <summary>The bias [out], or null when the layer has none.</summary>
    public ModuleParameter? Bias => _bias;

    /// <summary>Applies the layer.</summary>
    /// <param name="input">[…, in].</param>
    /// <returns>[…, out].</returns>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
        {
            throw new ArgumentException(
                $"Linear expects input [..., {InFeatures}], got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        return NeuralOps.Linear(input, _weight.Value, _bias?.Value);
    }
}
