using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Mapping;

/// <summary>A model's columns for one row at a time: what ML.NET's <c>PredictionEngine</c> and a transformer chain's
/// row-to-row mapper call. The row's output is computed on first read and kept until the input row moves.</summary>
internal sealed class BatchRowToRowMapper<TInput, TOutput> : IRowToRowMapper
{
    private readonly BatchMapper<TInput, TOutput> _mapper;

    public BatchRowToRowMapper(BatchMapper<TInput, TOutput> mapper, DataViewSchema inputSchema)
    {
        _mapper = mapper;
        InputSchema = inputSchema;
        OutputSchema = BatchMapping.OutputSchema(inputSchema, mapper.OutputColumns);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        BatchMapping.Dependencies(InputSchema, _mapper.InputColumnNames, dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns);

    private sealed class Row : DataViewRow
    {
        private readonly BatchRowToRowMapper<TInput, TOutput> _owner;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly Func<TInput>? _readInput;
        private long _scoredPosition = -1;
        private TOutput? _output;

        public Row(BatchRowToRowMapper<TInput, TOutput> owner, DataViewRow input, IEnumerable<DataViewSchema.Column> active)
        {
            _owner = owner;
            _input = input;
            _active = new bool[owner.OutputSchema.Count];
            foreach (DataViewSchema.Column column in active)
            {
                _active[column.Index] = true;
            }

            if (_active.Skip(owner.InputSchema.Count).Any(a => a))
            {
                _readInput = owner._mapper.CreateInputReader(input);
            }
        }

        public override DataViewSchema Schema => _owner.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _owner.InputSchema.Count;
            if (column.Index < inputCount)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            if (!_active[column.Index] || _readInput is null)
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            }

            Delegate getter = _owner._mapper.CreateGetter(column.Index - inputCount, Current);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        // A prediction engine moves the same input row to each new example, so the cache is keyed by position (and
        // refreshed when the position is -1, which a reused row may report).
        private TOutput Current()
        {
            long position = _input.Position;
            if (_scoredPosition != position || position < 0)
            {
                _output = _owner._mapper.Map([_readInput!()])[0];
                _scoredPosition = position;
            }

            return _output!;
        }
    }
}
