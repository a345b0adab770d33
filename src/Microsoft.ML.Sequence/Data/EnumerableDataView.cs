namespace Microsoft.ML.Sequence.Data;

/// <summary>A lazy view over an <see cref="IEnumerable{T}"/> of row objects: each cursor enumerates the source again.</summary>
/// <typeparam name="TRow">The row class.</typeparam>
internal sealed class EnumerableDataView<TRow> : ISequenceDataView
    where TRow : class
{
    private readonly IEnumerable<TRow> _rows;
    private readonly RowClassMapping _mapping;

    public EnumerableDataView(IEnumerable<TRow> rows, RowClassMapping mapping)
    {
        _rows = rows;
        _mapping = mapping;
    }

    public SequenceSchema Schema => _mapping.Schema;

    public long? RowCount => _rows is ICollection<TRow> collection ? collection.Count
        : _rows is IReadOnlyCollection<TRow> readOnly ? readOnly.Count : null;

    public bool CanShuffle => false;

    public DataCursor GetCursor(int? shuffleSeed = null)
    {
        if (shuffleSeed is not null)
        {
            throw new NotSupportedException("A view over an enumerable cannot shuffle; cache it first (SequenceDataView.Cache).");
        }

        return new Cursor(this);
    }

    /// <summary>Converts a member value to the column's value, checking it (null text becomes empty).</summary>
    internal static object ConvertValue(SchemaColumn column, object? value, long row)
    {
        switch (column.Type)
        {
            case TextColumnType:
                return value ?? string.Empty;
            case KeyColumnType key:
                CheckKey(column, key, (long)value!, row);
                return value!;
            case VectorColumnType vector:
                if (value is null)
                {
                    value = Array.CreateInstance(vector.ItemType.ClrType, 0);
                }

                var array = (Array)value;
                if (vector.IsFixedSize && array.Length != vector.Size)
                {
                    throw new InvalidDataException(
                        $"Row {row + 1}, column \"{column.Name}\": expected {vector.Size} values, found {array.Length}.");
                }

                if (vector.ItemType is KeyColumnType itemKey)
                {
                    foreach (long k in (long[])array)
                    {
                        CheckKey(column, itemKey, k, row);
                    }
                }
                else if (array is string?[] texts && Array.IndexOf(texts, null) >= 0)
                {
                    throw new InvalidDataException($"Row {row + 1}, column \"{column.Name}\": a text vector holds null.");
                }

                return array;
            default:
                return value!;
        }
    }

    private static void CheckKey(SchemaColumn column, KeyColumnType type, long key, long row)
    {
        if (key < 0 || (type.Count > 0 && key > type.Count))
        {
            throw new InvalidDataException(
                $"Row {row + 1}, column \"{column.Name}\": key {key} is outside 0..{type.Count}.");
        }
    }

    private sealed class Cursor : DataCursor
    {
        private readonly EnumerableDataView<TRow> _view;
        private readonly IEnumerator<TRow> _enumerator;
        private readonly object?[] _values;
        private readonly bool[] _loaded;

        public Cursor(EnumerableDataView<TRow> view)
            : base(view.Schema)
        {
            _view = view;
            _enumerator = view._rows.GetEnumerator();
            _values = new object?[view.Schema.Count];
            _loaded = new bool[view.Schema.Count];
        }

        protected override bool MoveNextCore()
        {
            if (!_enumerator.MoveNext())
            {
                return false;
            }

            if (_enumerator.Current is null)
            {
                throw new InvalidDataException($"Row {Position + 2} is null.");
            }

            Array.Clear(_loaded);
            return true;
        }

        protected override T GetValueCore<T>(int columnIndex)
        {
            if (!_loaded[columnIndex])
            {
                RowClassMember member = _view._mapping.Members[columnIndex];
                _values[columnIndex] = ConvertValue(member.Column, member.Read(_enumerator.Current), Position);
                _loaded[columnIndex] = true;
            }

            return (T)_values[columnIndex]!;
        }

        protected override void Dispose(bool disposing) => _enumerator.Dispose();
    }
}
