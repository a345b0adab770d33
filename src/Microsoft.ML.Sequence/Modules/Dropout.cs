using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Inverted dropout: in training mode each element is zeroed with probability p and the rest are scaled by
/// 1 / (1 − p); in evaluation mode the input passes through unchanged.</summary>
public sealed class Dropout : Module
{
    private readonly RandomGenerator? _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="generator">Source of the masks, not owned by the layer (the caller disposes it after the layer);
    /// null uses libtorch's global generator. Default: null.</param>
    public Dropout(double probability, RandomGenerator? generator = null)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability,
                "The dropout probability must be in [0, 1).");
        }

        Probability = probability;
        _generator = generator;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double Probability { get; }

    /// <summary>Applies dropout in training mode; returns the input's values in evaluation mode.</summary>
    /// <param name="input">Any tensor.</param>
    /// <returns>A new tensor of the same shape.</returns>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return NeuralOps.Dropout(input, Probability, IsTraining && Probability > 0, _generator);
    }
}
