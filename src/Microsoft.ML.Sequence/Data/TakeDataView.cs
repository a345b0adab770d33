namespace Microsoft.ML.Sequence.Data;

/// <summary>The first <c>count</c> rows of a source view, read lazily.</summary>
internal sealed class TakeDataView : ISequenceDataView
{
    private readonly ISequenceDataView _source;
    private readonly long _count;

    public TakeDataView(ISequenceDataView source, long count)
    {
        _source = source;
        _count = count;
    }

    public SequenceSchema Schema => _source.Schema;

    public long? RowCount => _source.RowCount is long n ? Math.Min(n, _count) : null;

    public bool CanShuffle => false;

    public DataCursor GetCursor(int? shuffleSeed = null)
    {
        if (shuffleSeed is not null)
        {
            throw new NotSupportedException("Take gives the first rows in order; cache the result to shuffle it.");
        }

        return new Cursor(this, _source.GetCursor());
    }

    private sealed class Cursor : DataCursor
    {
        private readonly TakeDataView _view;
        private readonly DataCursor _source;

        public Cursor(TakeDataView view, DataCursor source)
            : base(view.Schema)
        {
            _view = view;
            _source = source;
        }

        protected override bool MoveNextCore() => Position + 1 < _view._count && _source.MoveNext();

        protected override T GetValueCore<T>(int columnIndex) => _source.GetValue<T>(columnIndex);

        protected override void Dispose(bool disposing) => _source.Dispose();
    }
}
