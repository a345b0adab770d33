namespace Microsoft.ML.Sequence.Data;

/// <summary>Collects the values of one column, typed, while a view is being cached.</summary>
internal abstract class ColumnBuffer
{
    public static ColumnBuffer Create(Type clrType) =>
        (ColumnBuffer)Activator.CreateInstance(typeof(ColumnBuffer<>).MakeGenericType(clrType))!;

    public abstract void Append(DataCursor cursor, int columnIndex);

    public abstract void AppendBoxed(object value);

    public abstract Array ToArray();
}

/// <summary>A typed <see cref="ColumnBuffer"/>.</summary>
/// <typeparam name="T">The column's CLR type.</typeparam>
internal sealed class ColumnBuffer<T> : ColumnBuffer
{
    private readonly List<T> _values = new();

    public override void Append(DataCursor cursor, int columnIndex) => _values.Add(cursor.GetValue<T>(columnIndex));

    public override void AppendBoxed(object value) => _values.Add((T)value);

    public override Array ToArray() => _values.ToArray();
}
