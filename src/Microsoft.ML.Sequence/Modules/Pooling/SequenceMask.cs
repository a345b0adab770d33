using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Pooling;

/// <summary>Builds padding masks from sequence lengths.</summary>
public static class SequenceMask
{
    /// <summary>True at the valid steps of each row: mask[b, t] = t &lt; lengths[b].</summary>
    /// <param name="lengths">int64 [B] lengths, on the device of the batch.</param>
    /// <param name="maxLength">Number of steps T of the padded batch.</param>
    /// <returns>A bool tensor [B, T] on the device of <paramref name="lengths"/>.</returns>
    public static Tensor FromLengths(Tensor lengths, long maxLength)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = torch.NewDisposeScope();
        Tensor steps = torch.arange(0, maxLength, ScalarType.Int64, device: lengths.device).unsqueeze(0);
        return steps.lt(lengths.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Checks that <paramref name="lengths"/> is an int64 vector of <paramref name="batch"/> values in
    /// [1, <paramref name="maxLength"/>], naming the first offending row.</summary>
    /// <param name="lengths">Lengths to check.</param>
    /// <param name="batch">Expected number of rows.</param>
    /// <param name="maxLength">Number of steps of the padded batch.</param>
    /// <param name="parameterName">Name used in exceptions.</param>
    /// <returns>The lengths as a CPU array.</returns>
    /// <exception cref="ArgumentException">Wrong dtype or count, or a length outside [1, maxLength].</exception>
    public static long[] Validate(Tensor lengths, long batch, long maxLength, string parameterName = "lengths")
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.dtype != ScalarType.Int64 || lengths.dim() != 1 || lengths.shape[0] != batch)
        {
            throw new ArgumentException(
                $"Lengths must be an int64 vector of {batch} entries; got {lengths}.", parameterName);
        }

        long[] values = TensorValues.ToArray<long>(lengths);
        for (int row = 0; row < values.Length; row++)
        {
            if (values[row] < 1 || values[row] > maxLength)
            {
                throw new ArgumentException(
                    $"Row {row} has length {values[row]}; lengths must be between 1 and the padded length {maxLength}.",
                    parameterName);
            }
        }

        return values;
    }
}
