namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>A lazy view of the sentences of a CoNLL file.</summary>
internal sealed class ConllDataView : ISequenceDataView
{
    private static readonly VectorColumnType TextVector = new(TextColumnType.Instance);
    private readonly string _path;
    private readonly ConllFormat _format;
    private readonly ConllColumn[] _columns;

    public ConllDataView(string path, ConllFormat format, IReadOnlyList<ConllColumn> columns)
    {
        _path = path;
        _format = format;
        _columns = columns.ToArray();
        Schema = new SequenceSchema(_columns.Select(c => new SchemaColumn(c.Name, TextVector)));
    }

    public SequenceSchema Schema { get; }

    public long? RowCount => null;

    public bool CanShuffle => false;

    public DataCursor GetCursor(int? shuffleSeed = null)
    {
        if (shuffleSeed is not null)
        {
            throw new NotSupportedException($"A view over {_path} reads the file in order; cache it to shuffle (SequenceDataView.Cache).");
        }

        return new Cursor(this);
    }

    private string DescribeField(int field)
    {
        ConllColumn? column = _columns.FirstOrDefault(c => c.Field == field);
        return column?.Name ?? $"field {field + 1}";
    }

    private sealed class Cursor : DataCursor
    {
        private readonly ConllDataView _view;
        private readonly Utf8LineReader _reader;
        private readonly List<string>[] _tokens;
        private string[][] _values = [];

        public Cursor(ConllDataView view)
            : base(view.Schema)
        {
            _view = view;
            _reader = new Utf8LineReader(view._path);
            _tokens = view._columns.Select(_ => new List<string>()).ToArray();
        }

        protected override bool MoveNextCore()
        {
            foreach (List<string> list in _tokens)
            {
                list.Clear();
            }

            bool whitespace = _view._format == ConllFormat.Whitespace;
            byte separator = whitespace ? (byte)' ' : (byte)'\t';
            while (_reader.TryReadLine(out ReadOnlySpan<byte> bytes))
            {
                string line = _reader.Decode(bytes, separator, _view.DescribeField);
                if (string.IsNullOrWhiteSpace(line))
                {
                    if (_tokens[0].Count > 0)
                    {
                        return Emit();
                    }

                    continue;
                }

                if (line.StartsWith('#') || (whitespace && line.StartsWith("-DOCSTART-", StringComparison.Ordinal)))
                {
                    continue;
                }

                string[] fields = whitespace ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : line.Split('\t');
                if (!whitespace && (fields[0].Contains('-') || fields[0].Contains('.')))
                {
                    continue;
                }

                for (int c = 0; c < _view._columns.Length; c++)
                {
                    int field = _view._columns[c].Field;
                    if (field >= fields.Length)
                    {
                        throw new DataFormatException(_view._path, _reader.LineNumber, _view._columns[c].Name,
                            $"the token line has {fields.Length} fields; this column reads field {field + 1}");
                    }

                    _tokens[c].Add(field < 0 ? fields[^1] : fields[field]);
                }
            }

            return _tokens[0].Count > 0 && Emit();
        }

        protected override T GetValueCore<T>(int columnIndex) => (T)(object)_values[columnIndex];

        protected override void Dispose(bool disposing) => _reader.Dispose();

        private bool Emit()
        {
            _values = _tokens.Select(t => t.ToArray()).ToArray();
            return true;
        }
    }
}
