namespace Microsoft.ML.Sequence.Data;

/// <summary>A computed output column of a <see cref="MappedDataView"/>: its schema entry and how to compute a value
/// from the source cursor's current row.</summary>
internal sealed record ComputedColumn(SchemaColumn Column, Func<DataCursor, object> Compute);

/// <summary>A row-to-row mapping: the source's columns plus computed ones (a computed column with a source column's
/// name replaces it in place). Values are computed lazily, once per row and column.</summary>
internal sealed class MappedDataView : ISequenceDataView
{
    private readonly ISequenceDataView _source;
    private readonly int[] _sourceIndex;
    private readonly ComputedColumn?[] _computed;

    public MappedDataView(ISequenceDataView source, IReadOnlyList<ComputedColumn> computed)
    {
        _source = source;
        var columns = source.Schema.ToList();
        var sourceIndex = Enumerable.Range(0, columns.Count).ToList();
        var computedAt = new List<ComputedColumn?>(columns.Select(_ => (ComputedColumn?)null));
        foreach (ComputedColumn c in computed)
        {
            int at = columns.FindIndex(x => x.Name == c.Column.Name);
            if (at >= 0)
            {
                columns[at] = c.Column;
                sourceIndex[at] = -1;
                computedAt[at] = c;
            }
            else
            {
                columns.Add(c.Column);
                sourceIndex.Add(-1);
                computedAt.Add(c);
            }
        }

        Schema = new SequenceSchema(columns);
        _sourceIndex = sourceIndex.ToArray();
        _computed = computedAt.ToArray();
    }

    public SequenceSchema Schema { get; }

    public long? RowCount => _source.RowCount;

    public bool CanShuffle => _source.CanShuffle;

    public DataCursor GetCursor(int? shuffleSeed = null) => new Cursor(this, _source.GetCursor(shuffleSeed));

    private sealed class Cursor : DataCursor
    {
        private readonly MappedDataView _view;
        private readonly DataCursor _source;
        private readonly object?[] _values;
        private readonly bool[] _loaded;

        public Cursor(MappedDataView view, DataCursor source)
            : base(view.Schema)
        {
            _view = view;
            _source = source;
            _values = new object?[view.Schema.Count];
            _loaded = new bool[view.Schema.Count];
        }

        protected override bool MoveNextCore()
        {
            Array.Clear(_loaded);
            return _source.MoveNext();
        }

        protected override T GetValueCore<T>(int columnIndex)
        {
            int sourceIndex = _view._sourceIndex[columnIndex];
            if (sourceIndex >= 0)
            {
                return _source.GetValue<T>(sourceIndex);
            }

            if (!_loaded[columnIndex])
            {
                _values[columnIndex] = _view._computed[columnIndex]!.Compute(_source);
                _loaded[columnIndex] = true;
            }

            return (T)_values[columnIndex]!;
        }

        protected override void Dispose(bool disposing) => _source.Dispose();
    }
}
