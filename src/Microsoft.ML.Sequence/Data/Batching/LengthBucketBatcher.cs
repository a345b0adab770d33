using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Batching;

/// <summary>The default training batcher: groups rows of similar length into batches to waste little padding, in an
/// order drawn from the seed that changes every epoch.</summary>
/// <remarks>
/// Each epoch: shuffle all rows (seeded by the seed and the epoch number), cut them into pools of
/// <see cref="LengthBucketBatcherOptions.BatchSize"/> × <see cref="LengthBucketBatcherOptions.PoolBatches"/> rows, sort
/// each pool by length (stable, so equal lengths keep their shuffled order), cut it into batches, then shuffle the
/// order of all batches. Only the last pool can yield a smaller batch. No global random generator is touched (D3).
/// </remarks>
public sealed class LengthBucketBatcher
{
    private readonly int[] _lengths;
    private readonly LengthBucketBatcherOptions _options;
    private readonly int _seed;

    /// <summary>A batcher over rows with the given lengths.</summary>
    /// <param name="lengths">Length (e.g. token count) of every row, each at least 0.</param>
    /// <param name="options">Batch size and pooling; validated and copied. Default: the defaults of
    /// <see cref="LengthBucketBatcherOptions"/>.</param>
    /// <param name="seed">Seed of the row and batch order (the context's seed).</param>
    public LengthBucketBatcher(IReadOnlyList<int> lengths, LengthBucketBatcherOptions? options, int seed)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        _lengths = lengths.ToArray();
        int negative = Array.FindIndex(_lengths, l => l < 0);
        if (negative >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lengths), _lengths[negative], $"Row {negative} has a negative length.");
        }

        _options = (options ?? new LengthBucketBatcherOptions()).Validated();
        _seed = seed;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount => _lengths.Length;

    /// <summary>Length of every row.</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>A batcher over the lengths of a vector column (one pass over the view).</summary>
    /// <param name="view">The rows; their order is the row numbering of the batches.</param>
    /// <param name="columnName">A vector column (e.g. token keys); a row's length is its element count.</param>
    /// <param name="options">Batch size and pooling. Default: the defaults of <see cref="LengthBucketBatcherOptions"/>.</param>
    /// <param name="seed">Seed of the row and batch order.</param>
    /// <returns>The batcher.</returns>
    public static LengthBucketBatcher FromColumn(IDataView view, string columnName, LengthBucketBatcherOptions? options, int seed)
    {
        ArgumentNullException.ThrowIfNull(view);
        DataViewSchema.Column column = view.Schema.GetColumnOrNull(columnName) ?? throw new ArgumentOutOfRangeException(
            nameof(columnName), $"Could not find column '{columnName}'; the view has: {string.Join(", ", view.Schema.Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType vector)
        {
            throw new ArgumentOutOfRangeException(nameof(columnName), $"Column '{columnName}' is {column.Type}; batching by length needs a vector column.");
        }

        var read = typeof(LengthBucketBatcher).GetMethod(nameof(ReadLengths), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        var lengths = (List<int>)read.Invoke(null, [view, column])!;
        return new LengthBucketBatcher(lengths, options, seed);
    }

    /// <summary>The batches of one epoch: row indices, each batch in ascending length order.</summary>
    /// <param name="epoch">Epoch number (0-based); each epoch gives a different order.</param>
    /// <returns>The batches, in training order.</returns>
    public IReadOnlyList<int[]> GetBatches(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var random = new Random(unchecked((_seed * 1_000_003) ^ (epoch * 7_919 + 17)));
        int[] rows = Enumerable.Range(0, _lengths.Length).ToArray();
        random.Shuffle(rows);
        int batchSize = _options.BatchSize;
        int poolSize = batchSize * _options.PoolBatches;
        var batches = new List<int[]>(_lengths.Length / batchSize + 1);
        for (int start = 0; start < rows.Length; start += poolSize)
        {
            int[] pool = rows.AsSpan(start, Math.Min(poolSize, rows.Length - start)).ToArray();
            int[] keys = pool.Select(r => _lengths[r]).ToArray();
            int[] sorted = Enumerable.Range(0, pool.Length).OrderBy(i => keys[i]).Select(i => pool[i]).ToArray();
            for (int b = 0; b < sorted.Length; b += batchSize)
            {
                int count = Math.Min(batchSize, sorted.Length - b);
                if (count < batchSize && _options.DropLast)
                {
                    break;
                }

                batches.Add(sorted.AsSpan(b, count).ToArray());
            }
        }

        int[][] result = batches.ToArray();
        random.Shuffle(result);
        return result;
    }

    private static List<int> ReadLengths<T>(IDataView view, DataViewSchema.Column column)
    {
        var lengths = new List<int>();
        using DataViewRowCursor cursor = view.GetRowCursor([column]);
        ValueGetter<VBuffer<T>> getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            lengths.Add(value.Length);
        }

        return lengths;
    }
}
