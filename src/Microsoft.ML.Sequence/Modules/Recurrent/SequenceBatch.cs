using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A padded batch of variable-length sequences as it travels between layers (STYLE M5): values, the true
/// length of every row, and the matching mask.</summary>
/// <param name="Values">Batch-first padded values [B, T, …]; what lies past a row's length is ignored.</param>
/// <param name="Lengths">int64 [B]: valid steps per row, each in [1, T]. Layers read the lengths, not the mask.</param>
/// <param name="Mask">Bool [B, T]: true at valid steps (t &lt; length), for pooling and attention downstream.</param>
public sealed record SequenceBatch(Tensor Values, Tensor Lengths, Tensor Mask)
{
    /// <summary>Builds the batch and its mask (created in the current <see cref="TensorScope"/>) from values and
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
        if (values.Rank < 2)
        {
            throw new ArgumentException($"values must be [batch, time, …], got [{string.Join(", ", values.Shape)}].", nameof(values));
        }

        long batch = values.Size(0), steps = values.Size(1);
        if (lengths.Rank != 1 || lengths.Size(0) != batch || lengths.DType is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException(
                $"lengths must be int64 [{batch}] (one per row), got {lengths.DType} [{string.Join(", ", lengths.Shape)}].",
                nameof(lengths));
        }

        Tensor onDevice = lengths.To(DType.Int64).To(values.Device);
        Tensor mask = Tensor.Arange(0, steps, device: values.Device).Unsqueeze(0).Lt(onDevice.Unsqueeze(1));
        return new SequenceBatch(values, onDevice, mask);
    }
}
