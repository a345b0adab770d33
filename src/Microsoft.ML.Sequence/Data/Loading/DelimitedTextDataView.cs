namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>A lazy view over a delimited text file: every cursor reads the file again, line by line.</summary>
internal sealed class DelimitedTextDataView : ISequenceDataView
{
    private readonly string _path;
    private readonly LoaderColumn[] _columns;
    private readonly int[] _fields;
    private readonly DelimitedTextOptions _options;
    private readonly int _headerFieldCount;

    public DelimitedTextDataView(string path, IReadOnlyList<LoaderColumn> columns, DelimitedTextOptions options)
    {
        _path = path;
        _columns = columns.ToArray();
        _options = options;
        Schema = new SequenceSchema(_columns.Select(c => new SchemaColumn(c.Name, c.Type)));
        _fields = new int[_columns.Length];
        if (new FileInfo(path).Length == 0)
        {
            throw new DataFormatException(path, 1, _columns[0].Name, "the file is empty" + (options.HasHeader ? "; expected a header line" : string.Empty));
        }

        List<string>? header = options.HasHeader ? ReadHeader() : null;
        _headerFieldCount = header?.Count ?? -1;
        for (int i = 0; i < _columns.Length; i++)
        {
            LoaderColumn column = _columns[i];
            if (column.SourceIndex >= 0)
            {
                _fields[i] = column.SourceIndex;
                continue;
            }

            if (header is null)
            {
                throw new ArgumentException($"Column \"{column.Name}\" has no SourceIndex and the file has no header to find it by name.");
            }

            _fields[i] = header.FindIndex(h => column.AcceptedHeaderNames.Contains(h, StringComparer.OrdinalIgnoreCase));
            if (_fields[i] < 0)
            {
                throw new DataFormatException(path, 1, column.Name,
                    $"the header has no field named {string.Join(" or ", column.AcceptedHeaderNames.Select(n => $"\"{n}\""))} (it has: {string.Join(", ", header)})");
            }
        }
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
        int column = Array.IndexOf(_fields, field);
        return column >= 0 ? _columns[column].Name : $"field {field + 1}";
    }

    private List<string> ReadHeader()
    {
        using var reader = new Utf8LineReader(_path);
        if (!reader.TryReadLine(out ReadOnlySpan<byte> bytes))
        {
            throw new DataFormatException(_path, 1, _columns[0].Name, "the file is empty; expected a header line");
        }

        string line = reader.Decode(bytes, (byte)_options.Separator, f => $"field {f + 1}");
        List<string> fields = FieldSplitter.Split(line, _options, out string? error, out int errorField);
        if (error is not null)
        {
            throw new DataFormatException(_path, 1, $"field {errorField + 1}", error, quoteColumn: false);
        }

        return fields.Select(f => f.Trim()).ToList();
    }

    private object[] ParseLine(Utf8LineReader reader, string line, ref int expectedFields)
    {
        long lineNumber = reader.LineNumber;
        List<string> fields = FieldSplitter.Split(line, _options, out string? error, out int errorField);
        if (error is not null)
        {
            string where = DescribeField(errorField);
            throw new DataFormatException(_path, lineNumber, where, error, quoteColumn: !where.StartsWith("field ", StringComparison.Ordinal));
        }

        if (expectedFields < 0)
        {
            expectedFields = fields.Count;
        }

        if (!_options.AllowRaggedRows && fields.Count != expectedFields)
        {
            string basis = _headerFieldCount >= 0 ? "as in the header" : "as in the first line";
            int missing = Enumerable.Range(0, _columns.Length).Where(i => _fields[i] >= fields.Count).DefaultIfEmpty(-1).First();
            string problem = $"ragged row: expected {expectedFields} fields ({basis}), found {fields.Count}";
            throw missing >= 0
                ? new DataFormatException(_path, lineNumber, _columns[missing].Name, problem)
                : new DataFormatException(_path, lineNumber, $"field {Math.Min(fields.Count, expectedFields) + 1}", problem, quoteColumn: false);
        }

        var values = new object[_columns.Length];
        for (int i = 0; i < _columns.Length; i++)
        {
            values[i] = ParseColumn(i, fields, lineNumber);
        }

        return values;
    }

    private object ParseColumn(int index, List<string> fields, long lineNumber)
    {
        LoaderColumn column = _columns[index];
        int start = _fields[index];
        if (column.Type is VectorColumnType vector)
        {
            int end = vector.IsFixedSize ? start + vector.Size : Math.Max(start, fields.Count);
            if (end > fields.Count)
            {
                throw new DataFormatException(_path, lineNumber, column.Name,
                    $"needs fields {start + 1} to {end}, but the line has {fields.Count} fields");
            }

            Array items = Array.CreateInstance(vector.ItemType.ClrType, end - start);
            for (int f = start; f < end; f++)
            {
                items.SetValue(ParseScalar(column, vector.ItemType, fields[f], lineNumber), f - start);
            }

            return items;
        }

        if (start >= fields.Count)
        {
            throw new DataFormatException(_path, lineNumber, column.Name,
                $"ragged row: the column reads field {start + 1}, but the line has {fields.Count} fields");
        }

        return ParseScalar(column, column.Type, fields[start], lineNumber);
    }

    private object ParseScalar(LoaderColumn column, SequenceColumnType type, string text, long lineNumber)
    {
        if (type is TextColumnType && _options.MissingText is not null && text == _options.MissingText)
        {
            return string.Empty;
        }

        object? value = ValueParser.Parse(type, text, out string? error);
        return value ?? throw new DataFormatException(_path, lineNumber, column.Name, error!);
    }

    private sealed class Cursor : DataCursor
    {
        private readonly DelimitedTextDataView _view;
        private readonly Utf8LineReader _reader;
        private object[] _values = [];
        private int _expectedFields;

        public Cursor(DelimitedTextDataView view)
            : base(view.Schema)
        {
            _view = view;
            _reader = new Utf8LineReader(view._path);
            _expectedFields = view._headerFieldCount;
            if (view._options.HasHeader)
            {
                _reader.TryReadLine(out _);
            }
        }

        protected override bool MoveNextCore()
        {
            while (_reader.TryReadLine(out ReadOnlySpan<byte> bytes))
            {
                if (bytes.IsEmpty)
                {
                    continue;
                }

                string line = _reader.Decode(bytes, (byte)_view._options.Separator, _view.DescribeField);
                _values = _view.ParseLine(_reader, line, ref _expectedFields);
                return true;
            }

            return false;
        }

        protected override T GetValueCore<T>(int columnIndex) => (T)_values[columnIndex];

        protected override void Dispose(bool disposing) => _reader.Dispose();
    }
}
