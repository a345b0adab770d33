namespace Microsoft.ML.Sequence.Data.Batching;

/// <summary>How much padding a list of batches needs when each batch is padded to its longest row.</summary>
/// <param name="BatchCount">Number of batches.</param>
/// <param name="RowCount">Number of rows in all batches.</param>
/// <param name="Cells">Σ over batches of rows × longest length: the cells of the padded tensors.</param>
/// <param name="PaddingCells">Cells that hold padding rather than a token.</param>
public sealed record PaddingStatistics(int BatchCount, long RowCount, long Cells, long PaddingCells)
{
    /// <summary>Padding cells / cells, from 0 (no waste) towards 1; 0 when there are no cells.</summary>
    public double PaddingRatio => Cells == 0 ? 0 : (double)PaddingCells / Cells;

    /// <summary>Measures <paramref name="batches"/> of row indices into <paramref name="lengths"/>.</summary>
    /// <param name="batches">Row indices per batch.</param>
    /// <param name="lengths">Length of every row.</param>
    /// <returns>The statistics.</returns>
    public static PaddingStatistics Measure(IReadOnlyList<int[]> batches, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(lengths);
        long rows = 0, cells = 0, tokens = 0;
        foreach (int[] batch in batches)
        {
            int max = 0;
            foreach (int row in batch)
            {
                max = Math.Max(max, lengths[row]);
                tokens += lengths[row];
            }

            rows += batch.Length;
            cells += (long)max * batch.Length;
        }

        return new PaddingStatistics(batches.Count, rows, cells, cells - tokens);
    }
}
