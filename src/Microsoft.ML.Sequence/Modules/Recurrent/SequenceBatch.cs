using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A padded batch of variable-length sequences as it travels between layers (STYLE M5): values, the true
/// length of every row, and the matching mask.</summary>
/// <param name="Values">Batch-first padded values [B, T, …]; what lies past a row's length is ignored.</param>
/// <param name="Lengths">int64 [B]: valid steps per row, each in [1, T]. Layers read the lengths, not the mask.</param>
/// <param name="Mask">Bool [B, T]: true at valid steps (t &lt; length), for pooling and attention downstream.</param>
public sealed record SequenceBatch(Tensor Values, Tensor Lengths, Tensor Mask)
{
    /// <summary>Builds the batch and its mask (created in the current dispose scope) from values and
    /// lengths.</summary>
    /// <param name="values">Batch-first padded values [B, T, …].</param>
    /// <param name="lengths">int64 [B] valid steps per row, on any device.</param>
    /// <returns>The batch, with <see cref="Mask"/> on the device of <paramref name="values"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two dimensions, or
    /// <paramref name="lengths"/> is not one integer per row.</exception>
    public static SequenceBatch FromLengths(Tensor values, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(lengths);
        if (values.dim() < 2)
        {
            throw new ArgumentException($"values must be [batch, time, …], got [{string.Join(", ", values.shape)}].", nameof(values));
        }

        long batch = values.shape[0], steps = values.shape[1];
        if (lengths.dim() != 1 || lengths.shape[0] != batch || lengths.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new ArgumentException(
                $"lengths must be int64 [{batch}] (one per row), got {lengths.dtype} [{string.Join(", ", lengths.shape)}].",
                nameof(lengths));
        }

        Tensor onDevice = lengths.to(ScalarType.Int64).to(values.device);
        Tensor mask = torch.arange(0, steps, dtype: ScalarType.Int64, device: values.device).unsqueeze(0).lt(onDevice.unsqueeze(1));
        return new SequenceBatch(values, onDevice, mask);
    }
}
