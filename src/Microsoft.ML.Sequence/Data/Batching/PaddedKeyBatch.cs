using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Data.Batching;

/// <summary>Key sequences of one batch, padded with 0 (PAD) to the longest, row-major <c>[rows, MaxLength]</c>.</summary>
public sealed class PaddedKeyBatch
{
    private PaddedKeyBatch(long[] keys, long[] lengths, int maxLength)
    {
        Keys = keys;
        Lengths = lengths;
        MaxLength = maxLength;
    }

    /// <summary>Keys, row-major <c>[RowCount, MaxLength]</c>, 0 after each row's end.</summary>
    public IReadOnlyList<long> Keys { get; }

    /// <summary>Length of each row.</summary>
    public IReadOnlyList<long> Lengths { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Lengths.Count;

    /// <summary>Longest row (the padded length).</summary>
    public int MaxLength { get; }

    /// <summary>Pads the sequences at <paramref name="rows"/>.</summary>
    /// <param name="sequences">Key sequences of every row.</param>
    /// <param name="rows">Rows of this batch (e.g. one batch of <see cref="LengthBucketBatcher.GetBatches"/>).</param>
    /// <returns>The padded batch.</returns>
    public static PaddedKeyBatch Create(IReadOnlyList<long[]> sequences, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(rows);
        int max = rows.Count == 0 ? 0 : rows.Max(r => sequences[r].Length);
        var keys = new long[rows.Count * max];
        var lengths = new long[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            long[] sequence = sequences[rows[i]];
            sequence.CopyTo(keys, i * max);
            lengths[i] = sequence.Length;
        }

        return new PaddedKeyBatch(keys, lengths, max);
    }

    /// <summary>The keys as an int64 tensor <c>[RowCount, MaxLength]</c>.</summary>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>A new tensor.</returns>
    public Tensor KeysToTensor(Device? device = null) => tensor((long[])Keys, [RowCount, MaxLength], device: device);

    /// <summary>The lengths as an int64 tensor <c>[RowCount]</c> on the CPU (where packing wants them).</summary>
    /// <returns>A new tensor.</returns>
    public Tensor LengthsToTensor() => tensor((long[])Lengths);
}
