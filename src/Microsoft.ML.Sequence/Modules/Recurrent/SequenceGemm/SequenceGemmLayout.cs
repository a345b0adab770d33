namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// The time-major packed layout the sequence-GEMM kernel runs on, computed once per batch on the host: rows sorted
/// by descending length (stable), step t holding its <see cref="BatchSizes"/>[t] active rows at packed rows
/// <see cref="Offsets"/>[t] … + BatchSizes[t] − 1, exactly the layout of <c>pack_padded_sequence</c>'s data.
/// </summary>
/// <remarks>Only index arithmetic lives here; the kernel turns the arrays into index tensors where it needs them.</remarks>
internal sealed class SequenceGemmLayout
{
    private SequenceGemmLayout(long[] batchSizes, long[] sortedLengths, long[] sortedRows)
    {
        BatchSizes = batchSizes;
        SortedLengths = sortedLengths;
        SortedRows = sortedRows;
        Offsets = new long[batchSizes.Length];
        long offset = 0;
        for (int t = 0; t < batchSizes.Length; t++)
        {
            Offsets[t] = offset;
            offset += batchSizes[t];
        }

        Total = offset;
    }

    /// <summary>Active rows at each step, non-increasing, first = batch size.</summary>
    public long[] BatchSizes { get; }

    /// <summary>First packed row of each step.</summary>
    public long[] Offsets { get; }

    /// <summary>Length of each sorted row (descending).</summary>
    public long[] SortedLengths { get; }

    /// <summary>Caller's row index of each sorted row.</summary>
    public long[] SortedRows { get; }

    /// <summary>Number of packed rows (Σ lengths).</summary>
    public long Total { get; }

    /// <summary>Rows in the batch.</summary>
    public long Batch => BatchSizes[0];

    /// <summary>Number of steps (the longest length).</summary>
    public int Steps => BatchSizes.Length;

    /// <summary>The layout of rows with the given lengths, in any order.</summary>
    /// <param name="lengths">Length of each row, each ≥ 1.</param>
    /// <returns>The packed layout.</returns>
    public static SequenceGemmLayout FromLengths(IReadOnlyList<long> lengths)
    {
        long[] rows = Enumerable.Range(0, lengths.Count).Select(i => (long)i).ToArray();
        // Stable: equal lengths keep the caller's order (as pack_padded_sequence's sort does on the CPU).
        long[] sorted = rows.OrderByDescending(r => lengths[(int)r]).ToArray();
        long[] sortedLengths = sorted.Select(r => lengths[(int)r]).ToArray();
        return FromSorted(sortedLengths, sorted);
    }

    /// <summary>The layout of packed data whose batch sizes are known (rows already sorted).</summary>
    /// <param name="batchSizes">Active rows per step, non-increasing and positive.</param>
    /// <returns>The packed layout, with the identity as row order.</returns>
    public static SequenceGemmLayout FromBatchSizes(IReadOnlyList<long> batchSizes)
    {
        long batch = batchSizes[0];
        var lengths = new long[batch];
        for (int t = 0; t < batchSizes.Count; t++)
        {
            for (long r = 0; r < batchSizes[t]; r++)
            {
                lengths[r]++;
            }
        }

        return FromSorted(lengths, Enumerable.Range(0, (int)batch).Select(i => (long)i).ToArray());
    }

    private static SequenceGemmLayout FromSorted(long[] sortedLengths, long[] sortedRows)
    {
        long steps = sortedLengths[0];
        var sizes = new long[steps];
        for (int t = 0; t < steps; t++)
        {
            long b = 0;
            while (b < sortedLengths.Length && sortedLengths[b] > t)
            {
                b++;
            }

            sizes[t] = b;
        }

        return new SequenceGemmLayout(sizes, sortedLengths, sortedRows);
    }

    /// <summary>For each packed row, the row of a padded batch-first [B·T] view it comes from.</summary>
    /// <param name="steps">T of the padded batch.</param>
    /// <returns>Σ lengths indices.</returns>
    public long[] PackIndex(long steps)
    {
        var index = new long[Total];
        for (int t = 0; t < Steps; t++)
        {
            for (long r = 0; r < BatchSizes[t]; r++)
            {
                index[Offsets[t] + r] = SortedRows[r] * steps + t;
            }
        }

        return index;
    }

    /// <summary>For each row of a padded batch-first [B·T] view, its packed row, or <see cref="Total"/> (a zero row
    /// appended to the packed data) past the row's end.</summary>
    /// <param name="steps">T of the padded batch (≥ <see cref="Steps"/>).</param>
    /// <returns>B·T indices.</returns>
    public long[] UnpackIndex(long steps)
    {
        var index = new long[Batch * steps];
        Array.Fill(index, Total);
        for (int t = 0; t < Steps; t++)
        {
            for (long r = 0; r < BatchSizes[t]; r++)
            {
                index[SortedRows[r] * steps + t] = Offsets[t] + r;
            }
        }

        return index;
    }

    /// <summary>Sorted position of each caller's row (the inverse of <see cref="SortedRows"/>).</summary>
    /// <returns>B indices.</returns>
    public long[] UnsortIndex()
    {
        var inverse = new long[Batch];
        for (long r = 0; r < Batch; r++)
        {
            inverse[SortedRows[r]] = r;
        }

        return inverse;
    }

    /// <summary>The step whose state feeds step <paramref name="t"/>: t − 1 forward, t + 1 reversed; −1 at the first
    /// step processed.</summary>
    public int PreviousStep(int t, bool reverse) => reverse ? (t == Steps - 1 ? -1 : t + 1) : t - 1;

    /// <summary>For each packed row, where its previous state lies in cat(initial state [B], packed outputs [N]):
    /// the row of the previous step, or the initial state where the row starts there.</summary>
    /// <param name="reverse">Direction of the recurrence.</param>
    /// <returns>Σ lengths indices into a [B + N] tensor.</returns>
    public long[] PreviousStateIndex(bool reverse)
    {
        var index = new long[Total];
        for (int t = 0; t < Steps; t++)
        {
            int p = PreviousStep(t, reverse);
            for (long r = 0; r < BatchSizes[t]; r++)
            {
                index[Offsets[t] + r] = p >= 0 && r < BatchSizes[p] ? Batch + Offsets[p] + r : r;
            }
        }

        return index;
    }

    /// <summary>For each packed row (step t of sorted row r), the packed row of the same row's step L_r − 1 − t: the
    /// row's steps reversed within its length. The reversed rows have the same active rows at every step, so a reverse
    /// direction can run forward in time over them; the map is its own inverse.</summary>
    /// <returns>Σ lengths indices.</returns>
    public long[] ReversedPositions()
    {
        var index = new long[Total];
        for (int t = 0; t < Steps; t++)
        {
            for (long r = 0; r < BatchSizes[t]; r++)
            {
                index[Offsets[t] + r] = Offsets[SortedLengths[r] - 1 - t] + r;
            }
        }

        return index;
    }

    /// <summary>For each sorted row, the packed row of its final state: its last step forward, step 0 reversed.</summary>
    /// <param name="reverse">Direction of the recurrence.</param>
    /// <returns>B indices.</returns>
    public long[] FinalStateIndex(bool reverse)
    {
        var index = new long[Batch];
        for (long r = 0; r < Batch; r++)
        {
            index[r] = reverse ? r : Offsets[SortedLengths[r] - 1] + r;
        }

        return index;
    }
}
