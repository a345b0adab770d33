using System.Collections.Concurrent;
using System.Reflection;

namespace Microsoft.ML.Sequence.Data;

/// <summary>Moves forward over the rows of an <see cref="ISequenceDataView"/> and reads typed column values.</summary>
/// <remarks>
/// Call <see cref="MoveNext"/> before reading the first row. Values are read with <see cref="GetValue{T}(int)"/>, where
/// <c>T</c> is the column type's <see cref="SequenceColumnType.ClrType"/>; vector values are arrays the caller must not
/// modify. A cursor is not thread-safe; open one cursor per thread.
/// </remarks>
public abstract class DataCursor : IDisposable
{
    private static readonly ConcurrentDictionary<Type, Func<DataCursor, int, object>> BoxedReaders = new();
    private bool _disposed;

    /// <summary>Creates a cursor over rows with <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema of the rows.</param>
    protected DataCursor(SequenceSchema schema)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
    }

    /// <summary>The schema of the rows.</summary>
    public SequenceSchema Schema { get; }

    /// <summary>Zero-based number of the current row in cursor order; -1 before the first <see cref="MoveNext"/>.</summary>
    public long Position { get; private set; } = -1;

    /// <summary>Advances to the next row.</summary>
    /// <returns>True when there is a row; false at the end.</returns>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!MoveNextCore())
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>The value of column <paramref name="columnIndex"/> in the current row.</summary>
    /// <typeparam name="T">The column type's CLR type.</typeparam>
    /// <param name="columnIndex">Zero-based column index.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">No current row, or <typeparamref name="T"/> does not match the column.</exception>
    public T GetValue<T>(int columnIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(columnIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(columnIndex, Schema.Count);
        if (Position < 0)
        {
            throw new InvalidOperationException("The cursor has no current row; call MoveNext first.");
        }

        SchemaColumn column = Schema[columnIndex];
        if (typeof(T) != column.Type.ClrType)
        {
            throw new InvalidOperationException(
                $"Column \"{column.Name}\" holds {column.Type} values ({column.Type.ClrType.Name}); they cannot be read as {typeof(T).Name}.");
        }

        return GetValueCore<T>(columnIndex);
    }

    /// <summary>The value of the column named <paramref name="columnName"/> in the current row.</summary>
    /// <typeparam name="T">The column type's CLR type.</typeparam>
    /// <param name="columnName">Column name.</param>
    /// <returns>The value.</returns>
    public T GetValue<T>(string columnName) => GetValue<T>(Schema.IndexOf(columnName));

    /// <summary>The value of column <paramref name="columnIndex"/> in the current row, boxed.</summary>
    /// <param name="columnIndex">Zero-based column index.</param>
    /// <returns>The value as an object of the column's CLR type.</returns>
    public object GetBoxedValue(int columnIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columnIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(columnIndex, Schema.Count);
        Type clrType = Schema[columnIndex].Type.ClrType;
        return BoxedReaders.GetOrAdd(clrType, CreateBoxedReader)(this, columnIndex);
    }

    /// <summary>Frees what the cursor holds (an open file, a source cursor).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Dispose(true);
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Advances the underlying rows.</summary>
    /// <returns>True when there is a row.</returns>
    protected abstract bool MoveNextCore();

    /// <summary>Reads a value; the type and position were checked by the caller.</summary>
    /// <typeparam name="T">The column type's CLR type.</typeparam>
    /// <param name="columnIndex">Zero-based column index.</param>
    /// <returns>The value.</returns>
    protected abstract T GetValueCore<T>(int columnIndex);

    /// <summary>Frees resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    private static Func<DataCursor, int, object> CreateBoxedReader(Type clrType)
    {
        MethodInfo method = typeof(DataCursor).GetMethod(nameof(ReadBoxed), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(clrType);
        return method.CreateDelegate<Func<DataCursor, int, object>>();
    }

    private static object ReadBoxed<T>(DataCursor cursor, int columnIndex) => cursor.GetValue<T>(columnIndex)!;
}
