namespace Microsoft.ML.Sequence.Data.Batching;

/// <summary>Options of <see cref="LengthBucketBatcher"/>.</summary>
public sealed class LengthBucketBatcherOptions
{
    /// <summary>Rows per batch (the last batch of an epoch may be smaller), at least 1. Default: 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Batches per bucket pool: each epoch the shuffled rows are cut into pools of
    /// <see cref="BatchSize"/> × this many rows, each pool is sorted by length and cut into batches, so rows of similar
    /// length share a batch. Larger pools waste less padding but mix less. At least 1. Default: 50.</summary>
    public int PoolBatches { get; set; } = 50;

    /// <summary>True to drop the last batch of an epoch when it is smaller than <see cref="BatchSize"/>. Default: false.</summary>
    public bool DropLast { get; set; }

    internal LengthBucketBatcherOptions Validated()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Expected at least 1.");
        }

        if (PoolBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PoolBatches), PoolBatches, "Expected at least 1.");
        }

        return new LengthBucketBatcherOptions { BatchSize = BatchSize, PoolBatches = PoolBatches, DropLast = DropLast };
    }
}
