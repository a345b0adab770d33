using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Inverted dropout whose masks come from a given generator: in training each element is zeroed with
/// probability p and the rest are scaled by 1 / (1 − p). TorchSharp's <c>nn.Dropout</c> draws from the global
/// generator, which would tie a model's runs to whatever else the process draws (STYLE D3).</summary>
internal static class SeededDropout
{
    /// <summary>Applies dropout, or returns <paramref name="input"/> itself when not training or p is 0.</summary>
    /// <param name="input">Any floating-point tensor.</param>
    /// <param name="probability">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="training">Whether the module is in training mode.</param>
    /// <param name="generator">Source of the mask; null uses libtorch's global generator. The mask is drawn on the
    /// generator's device and moved to the input's, so a CPU generator serves a model on a GPU.</param>
    /// <returns>A tensor of the input's shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1).</exception>
    public static Tensor Apply(Tensor input, double probability, bool training, Generator? generator)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, $"The dropout probability must be in [0, 1); got {probability}.");
        }

        if (!training || probability <= 0)
        {
            return input;
        }

        Tensor keep;
        using (no_grad())
        {
            Device maskDevice = generator?.device ?? input.device;
            keep = empty(input.shape, input.dtype, maskDevice).bernoulli_(1 - probability, generator).div_(1 - probability);
            if (maskDevice.type != input.device.type || maskDevice.index != input.device.index)
            {
                keep = keep.to(input.device);
            }
        }

        return input * keep;
    }
}
