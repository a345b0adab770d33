namespace Microsoft.ML.Sequence.Data;

/// <summary>Rows held in memory as one typed array per column, optionally seen through a row-index map.</summary>
internal sealed class InMemoryDataView : ISequenceDataView
{
    private readonly Array[] _columns;
    private readonly int[]? _rows;
    private readonly int _count;

    public InMemoryDataView(SequenceSchema schema, Array[] columns, int[]? rows = null)
    {
        Schema = schema;
        _columns = columns;
        if (columns.Length != schema.Count)
        {
            throw new ArgumentException($"The schema has {schema.Count} columns but {columns.Length} arrays were given.");
        }

        int length = columns.Length == 0 ? 0 : columns[0].Length;
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i].GetType().GetElementType() != schema[i].Type.ClrType)
            {
                throw new ArgumentException(
                    $"Column \"{schema[i].Name}\" is {schema[i].Type} but its array holds {columns[i].GetType().GetElementType()?.Name}.");
            }

            if (columns[i].Length != length)
            {
                throw new ArgumentException($"Column \"{schema[i].Name}\" has {columns[i].Length} values; column 0 has {length}.");
            }
        }

        _rows = rows;
        _count = rows?.Length ?? length;
    }

    public SequenceSchema Schema { get; }

    public long? RowCount => _count;

    public bool CanShuffle => true;

    /// <summary>Reads all rows of <paramref name="source"/> into memory.</summary>
    public static InMemoryDataView From(ISequenceDataView source, CancellationToken cancellationToken = default)
    {
        if (source is InMemoryDataView memory)
        {
            return memory;
        }

        SequenceSchema schema = source.Schema;
        var buffers = schema.Select(c => ColumnBuffer.Create(c.Type.ClrType)).ToArray();
        using DataCursor cursor = source.GetCursor();
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int i = 0; i < buffers.Length; i++)
            {
                buffers[i].Append(cursor, i);
            }
        }

        return new InMemoryDataView(schema, buffers.Select(b => b.ToArray()).ToArray());
    }

    /// <summary>A view of the rows at <paramref name="rows"/> (indices into this view's order).</summary>
    public InMemoryDataView Select(IReadOnlyList<int> rows)
    {
        var mapped = new int[rows.Count];
        for (int i = 0; i < mapped.Length; i++)
        {
            int row = rows[i];
            if (row < 0 || row >= _count)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row indices run from 0 to {_count - 1}.");
            }

            mapped[i] = _rows is null ? row : _rows[row];
        }

        return new InMemoryDataView(Schema, _columns, mapped);
    }

    /// <summary>The value of column <paramref name="column"/> at row <paramref name="row"/> (in this view's order).</summary>
    public T GetValue<T>(int column, int row) => ((T[])_columns[column])[_rows is null ? row : _rows[row]];

    public DataCursor GetCursor(int? shuffleSeed = null)
    {
        int[]? order = null;
        if (shuffleSeed is int seed)
        {
            order = Enumerable.Range(0, _count).ToArray();
            new Random(seed).Shuffle(order);
        }

        return new Cursor(this, order);
    }

    private sealed class Cursor : DataCursor
    {
        private readonly InMemoryDataView _view;
        private readonly int[]? _order;
        private int _index = -1;
        private int _row;

        public Cursor(InMemoryDataView view, int[]? order)
            : base(view.Schema)
        {
            _view = view;
            _order = order;
        }

        protected override bool MoveNextCore()
        {
            if (_index + 1 >= _view._count)
            {
                return false;
            }

            _index++;
            int logical = _order is null ? _index : _order[_index];
            _row = _view._rows is null ? logical : _view._rows[logical];
            return true;
        }

        protected override T GetValueCore<T>(int columnIndex) => ((T[])_view._columns[columnIndex])[_row];
    }
}
