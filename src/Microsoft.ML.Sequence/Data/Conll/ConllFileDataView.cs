using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML.Sequence.Data.Conll;

/// <summary>An ML.NET <see cref="IDataView"/> over the sentences of a CoNLL or CoNLL-U file: one row per sentence, each
/// column a variable-length vector of text with one entry per token. Cursors read the file lazily, in order.</summary>
/// <remarks>Implemented directly rather than through <c>LoadFromEnumerable</c>: the columns are chosen at run time (a
/// row class needs one CLR member per column), each cursor streams the file instead of holding typed row objects, and
/// inactive columns are never copied out of the line.</remarks>
internal sealed class ConllFileDataView : IDataView
{
    private static readonly VectorDataViewType TextVector = new(TextDataViewType.Instance);
    private readonly string _path;
    private readonly ConllFileLayout _layout;

    private ConllFileDataView(string path, ConllFileLayout layout)
    {
        _path = path;
        _layout = layout;
        var builder = new DataViewSchema.Builder();
        foreach (string name in layout.ColumnNames)
        {
            builder.AddColumn(name, TextVector);
        }

        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    /// <summary>False: the file is read in order (ML.NET's <c>ShuffleRows</c> still shuffles through its pool).</summary>
    public bool CanShuffle => false;

    /// <summary>Opens a view; checks that the file exists, is not empty and that its first sentence reads.</summary>
    /// <param name="path">The file.</param>
    /// <param name="layout">Dialect and columns.</param>
    /// <returns>The view.</returns>
    /// <exception cref="FileNotFoundException">No such file (full path named).</exception>
    /// <exception cref="DataFormatException">The file is empty, has no token line, or its first sentence is malformed.</exception>
    public static ConllFileDataView Open(string path, ConllFileLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {Path.GetFullPath(path)}", path);
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new DataFormatException(path, 1, layout.ColumnNames[0], "the file is empty");
        }

        using (var reader = new ConllSentenceReader(path, layout))
        {
            List<ReadOnlyMemory<char>>[] columns = layout.ColumnNames.Select(_ => new List<ReadOnlyMemory<char>>()).ToArray();
            if (!reader.TryReadSentence(columns, new bool[columns.Length]))
            {
                throw new DataFormatException(path, Math.Max(1, reader.LineNumber), layout.ColumnNames[0],
                    "the file has no token lines (only blank, comment or -DOCSTART- lines)");
            }
        }

        return new ConllFileDataView(path, layout);
    }

    /// <summary>Null: counting the sentences means reading the whole file.</summary>
    /// <returns>Null.</returns>
    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            if (column.Index >= Schema.Count || !Schema[column.Index].Type.Equals(column.Type)
                || Schema[column.Index].Name != column.Name)
            {
                throw new ArgumentException($"Column \"{column.Name}\" does not belong to this view's schema.", nameof(columnsNeeded));
            }

            active[column.Index] = true;
        }

        return new Cursor(this, active);
    }

    /// <summary>One cursor: the file is read sequentially.</summary>
    /// <param name="columnsNeeded">Columns to read.</param>
    /// <param name="n">Suggested number of cursors (ignored).</param>
    /// <param name="rand">Ignored (the view cannot shuffle).</param>
    /// <returns>A single cursor.</returns>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ConllFileDataView _view;
        private readonly bool[] _active;
        private readonly List<ReadOnlyMemory<char>>[] _values;
        private ConllSentenceReader? _reader;
        private long _position = -1;

        public Cursor(ConllFileDataView view, bool[] active)
        {
            _view = view;
            _active = active;
            _values = active.Select(_ => new List<ReadOnlyMemory<char>>()).ToArray();
            _reader = new ConllSentenceReader(view._path, view._layout);
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_reader is null)
            {
                return false;
            }

            if (_reader.TryReadSentence(_values, _active))
            {
                _position++;
                return true;
            }

            _reader.Dispose();
            _reader = null;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)CheckPosition(), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index >= _active.Length || !_active[column.Index])
            {
                throw new InvalidOperationException(
                    $"Column \"{column.Name}\" was not requested when this cursor was created; pass it in columnsNeeded.");
            }

            if (typeof(TValue) != typeof(VBuffer<ReadOnlyMemory<char>>))
            {
                throw new InvalidOperationException(
                    $"Column \"{column.Name}\" holds VBuffer<ReadOnlyMemory<char>> (a vector of text), not {typeof(TValue).Name}.");
            }

            List<ReadOnlyMemory<char>> tokens = _values[column.Index];
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> value) =>
            {
                CheckPosition();
                VBufferEditor<ReadOnlyMemory<char>> editor = VBufferEditor.Create(ref value, tokens.Count);
                for (int i = 0; i < tokens.Count; i++)
                {
                    editor.Values[i] = tokens[i];
                }

                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _reader?.Dispose();
                _reader = null;
            }

            base.Dispose(disposing);
        }

        private long CheckPosition() => _position >= 0 && _reader is not null
            ? _position
            : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first (and only while it returns true).");
    }
}
