using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Mapping;

/// <summary>
/// The output of a model's <c>Transform</c>: the input's columns plus the model's, computed lazily and in batches.
/// </summary>
/// <remarks>A cursor that needs one of the model's columns opens a second cursor over the input ("look-ahead") that reads
/// only the model's input columns: when the main cursor reaches the end of the scored rows, the look-ahead reads the next
/// <see cref="BatchMapper{TInput, TOutput}.BatchSize"/> rows and scores them in one forward pass. ML.NET's data views give
/// the same rows in the same order to every unshuffled cursor, which is what keeps the two in step; a shuffled cursor is
/// therefore never offered (<see cref="CanShuffle"/> is false, as ML.NET allows).</remarks>
internal sealed class BatchMappedDataView<TInput, TOutput> : IDataView
{
    private readonly BatchMapper<TInput, TOutput> _mapper;
    private readonly IDataView _source;

    public BatchMappedDataView(BatchMapper<TInput, TOutput> mapper, IDataView source)
    {
        _mapper = mapper;
        _source = source;
        Schema = BatchMapping.OutputSchema(source.Schema, mapper.OutputColumns);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        DataViewSchema.Column[] needed = columnsNeeded.ToArray();
        bool scoring = needed.Any(c => c.Index >= _source.Schema.Count);
        DataViewSchema.Column[] sourceColumns = BatchMapping.Dependencies(_source.Schema, [], needed).ToArray();
        DataViewRowCursor main = _source.GetRowCursor(sourceColumns);
        if (!scoring)
        {
            return new Cursor(this, main, lookAhead: null, needed);
        }

        DataViewSchema.Column[] inputs = _mapper.InputColumnNames.Select(n => _source.Schema[n]).ToArray();
        try
        {
            return new Cursor(this, main, _source.GetRowCursor(inputs), needed);
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchMappedDataView<TInput, TOutput> _view;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _lookAhead;
        private readonly Func<TInput>? _readInput;
        private readonly bool[] _active;
        private readonly List<TInput> _inputs = new();
        private IReadOnlyList<TOutput> _outputs = [];
        private int _current = -1;
        private bool _disposed;

        public Cursor(BatchMappedDataView<TInput, TOutput> view, DataViewRowCursor main, DataViewRowCursor? lookAhead,
            IEnumerable<DataViewSchema.Column> active)
        {
            _view = view;
            _main = main;
            _lookAhead = lookAhead;
            _readInput = lookAhead is null ? null : view._mapper.CreateInputReader(lookAhead);
            _active = new bool[view.Schema.Count];
            foreach (DataViewSchema.Column column in active)
            {
                _active[column.Index] = true;
            }
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _main.Position;

        public override long Batch => _main.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            if (!_main.MoveNext())
            {
                return false;
            }

            if (_lookAhead is not null && ++_current >= _outputs.Count)
            {
                ScoreNextBatch();
            }

            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int sourceCount = _main.Schema.Count;
            if (column.Index < sourceCount)
            {
                return _main.GetGetter<TValue>(_main.Schema[column.Index]);
            }

            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
            }

            Delegate getter = _view._mapper.CreateGetter(column.Index - sourceCount, () => _outputs[_current]);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _main.Dispose();
                _lookAhead?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void ScoreNextBatch()
        {
            _inputs.Clear();
            int batchSize = _view._mapper.BatchSize;
            while (_inputs.Count < batchSize && _lookAhead!.MoveNext())
            {
                _inputs.Add(_readInput!());
            }

            if (_inputs.Count == 0)
            {
                throw new InvalidOperationException(
                    "The input data view gave a second cursor fewer rows than the first; a model's Transform needs a view that gives every cursor the same rows.");
            }

            _outputs = _view._mapper.Map(_inputs);
            _current = 0;
        }
    }
}
