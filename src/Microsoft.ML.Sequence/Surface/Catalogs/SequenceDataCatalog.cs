using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML.Sequence;

/// <summary>Loading data into views, reading it back, and deriving views; random choices use the context's seed.</summary>
public sealed class SequenceDataCatalog : SequenceCatalogBase
{
    internal SequenceDataCatalog(SequenceContext context)
        : base(context)
    {
    }

    /// <summary>A lazy view over row objects (see <see cref="SequenceDataView.FromEnumerable{TRow}"/>).</summary>
    /// <typeparam name="TRow">Row class.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <returns>The view.</returns>
    public ISequenceDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> rows)
        where TRow : class => SequenceDataView.FromEnumerable(rows);

    /// <summary>A lazy view over a delimited text file (see <see cref="DelimitedTextLoader"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">Columns to produce.</param>
    /// <param name="options">Separator, header, quoting. Default: tab-separated, no header, no quoting.</param>
    /// <returns>The view.</returns>
    public ISequenceDataView LoadFromDelimitedFile(string path, IEnumerable<LoaderColumn> columns, DelimitedTextOptions? options = null) =>
        DelimitedTextLoader.Load(path, columns, options);

    /// <summary>A lazy view over a delimited text file whose columns come from <typeparamref name="TRow"/>'s attributes.</summary>
    /// <typeparam name="TRow">Row class describing the columns.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">Separator, header, quoting. Default: tab-separated, no header, no quoting.</param>
    /// <returns>The view.</returns>
    public ISequenceDataView LoadFromDelimitedFile<TRow>(string path, DelimitedTextOptions? options = null) =>
        DelimitedTextLoader.Load<TRow>(path, options);

    /// <summary>A lazy view over the sentences of a CoNLL or CoNLL-U file (see <see cref="ConllLoader"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Dialect and columns. Default: CoNLL-U, <c>Tokens</c> and <c>Tags</c> (UPOS).</param>
    /// <returns>The view.</returns>
    public ISequenceDataView LoadFromConll(string path, ConllOptions? options = null) => ConllLoader.Load(path, options);

    /// <summary>Reads the rows of <paramref name="view"/> back into objects, lazily.</summary>
    /// <typeparam name="TRow">Row class.</typeparam>
    /// <param name="view">The view.</param>
    /// <returns>The rows.</returns>
    public IEnumerable<TRow> CreateEnumerable<TRow>(ISequenceDataView view)
        where TRow : class, new() => SequenceDataView.ToEnumerable<TRow>(view);

    /// <summary>Reads every row into memory once (honours the context's cancellation token).</summary>
    /// <param name="view">The view.</param>
    /// <returns>The cached view.</returns>
    public ISequenceDataView Cache(ISequenceDataView view) => SequenceDataView.Cache(view, Context.CancellationToken);

    /// <summary>The rows in a random order.</summary>
    /// <param name="view">The view.</param>
    /// <param name="seed">Seed, or null for the context's next seed. Default: null.</param>
    /// <returns>The shuffled view.</returns>
    public ISequenceDataView ShuffleRows(ISequenceDataView view, int? seed = null) =>
        SequenceDataView.Shuffle(view, seed ?? Context.NextSeed());

    /// <summary>The first <paramref name="count"/> rows.</summary>
    /// <param name="view">The view.</param>
    /// <param name="count">Maximum number of rows.</param>
    /// <returns>The view.</returns>
    public ISequenceDataView TakeRows(ISequenceDataView view, long count) => SequenceDataView.Take(view, count);

    /// <summary>Splits the rows at random into training and test parts.</summary>
    /// <param name="view">The view.</param>
    /// <param name="testFraction">Fraction of rows in the test part, in (0, 1). Default: 0.1.</param>
    /// <param name="seed">Seed, or null for the context's next seed. Default: null.</param>
    /// <returns>The two parts.</returns>
    public TrainTestViews TrainTestSplit(ISequenceDataView view, double testFraction = 0.1, int? seed = null) =>
        SequenceDataView.TrainTestSplit(view, testFraction, seed ?? Context.NextSeed());

    /// <summary>The default training batcher over the lengths of a vector column, seeded from the context.</summary>
    /// <param name="view">The rows.</param>
    /// <param name="columnName">A vector column, e.g. token keys.</param>
    /// <param name="options">Batch size and pooling. Default: the defaults of <see cref="LengthBucketBatcherOptions"/>.</param>
    /// <returns>The batcher.</returns>
    public LengthBucketBatcher CreateBatcher(ISequenceDataView view, string columnName, LengthBucketBatcherOptions? options = null) =>
        LengthBucketBatcher.FromColumn(view, columnName, options, Context.NextSeed());
}
