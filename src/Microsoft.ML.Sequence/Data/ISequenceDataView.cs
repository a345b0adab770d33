namespace Microsoft.ML.Sequence.Data;

/// <summary>A lazy, columnar table of rows with a schema: what loaders produce, transforms consume and trainers read.</summary>
/// <remarks>
/// A data view is immutable and can be read any number of times, each time through a new <see cref="DataCursor"/>.
/// Views over files read the file again for every cursor (nothing is loaded until a cursor moves); use
/// <see cref="SequenceDataView.Cache"/> to hold the rows in memory, which also makes them shufflable.
/// </remarks>
public interface ISequenceDataView
{
    /// <summary>The columns every row has.</summary>
    SequenceSchema Schema { get; }

    /// <summary>Number of rows when known without reading the data; otherwise null.</summary>
    long? RowCount { get; }

    /// <summary>True when <see cref="GetCursor"/> accepts a shuffle seed (random access to rows).</summary>
    bool CanShuffle { get; }

    /// <summary>A new cursor positioned before the first row.</summary>
    /// <param name="shuffleSeed">When set, rows come in a random order drawn from this seed (the same seed gives the
    /// same order); when null, in the view's natural order. Default: null.</param>
    /// <returns>The cursor; dispose it when done.</returns>
    /// <exception cref="NotSupportedException">A seed was given but <see cref="CanShuffle"/> is false.</exception>
    DataCursor GetCursor(int? shuffleSeed = null);
}
