using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Columns;

/// <summary>Reads one column of the current row as the plain .NET value our models take.</summary>
internal static class RowReaders
{
    /// <summary>The annotation ML.NET's key transforms read: the value of each key.</summary>
    public const string KeyValuesKind = "KeyValues";

    /// <summary>The annotation ML.NET's evaluators read: the name of each slot of a vector.</summary>
    public const string SlotNamesKind = "SlotNames";

    /// <summary>A Text column as a string.</summary>
    public static Func<string> Text(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<ReadOnlyMemory<char>> getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        return () =>
        {
            getter(ref value);
            return value.ToString();
        };
    }

    /// <summary>A vector-of-Text column as strings.</summary>
    public static Func<string[]> TextVector(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> value = default;
        return () =>
        {
            getter(ref value);
            return value.DenseValues().Select(v => v.ToString()).ToArray();
        };
    }

    /// <summary>A vector-of-keys column as keys (1-based; 0 is missing).</summary>
    public static Func<uint[]> KeyVector(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<VBuffer<uint>> getter = row.GetGetter<VBuffer<uint>>(column);
        VBuffer<uint> value = default;
        return () =>
        {
            getter(ref value);
            return value.DenseValues().ToArray();
        };
    }

    /// <summary>A key column (1-based; 0 is missing).</summary>
    public static Func<uint> Key(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<uint> getter = row.GetGetter<uint>(column);
        uint value = 0;
        return () =>
        {
            getter(ref value);
            return value;
        };
    }

    /// <summary>A Boolean column.</summary>
    public static Func<bool> Boolean(DataViewRow row, DataViewSchema.Column column)
    {
        ValueGetter<bool> getter = row.GetGetter<bool>(column);
        bool value = false;
        return () =>
        {
            getter(ref value);
            return value;
        };
    }

    /// <summary>The key values of a key column (or of a vector of keys) as strings, in key order; when the column has
    /// no key values, the keys' numbers.</summary>
    public static string[] KeyValues(DataViewSchema.Column column)
    {
        var keyType = (KeyDataViewType)(column.Type is VectorDataViewType vector ? vector.ItemType : column.Type);
        if (!column.HasKeyValues())
        {
            return Enumerable.Range(1, (int)keyType.Count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }

    /// <summary>Annotations that give a key column the key values <paramref name="values"/> (what <c>MapKeyToValue</c>
    /// reads).</summary>
    public static DataViewSchema.Annotations KeyValuesAnnotation(IReadOnlyList<string> values)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var buffer = new VBuffer<ReadOnlyMemory<char>>(values.Count, values.Select(v => v.AsMemory()).ToArray());
        builder.Add(KeyValuesKind, new VectorDataViewType(TextDataViewType.Instance, values.Count), (ref VBuffer<ReadOnlyMemory<char>> v) => buffer.CopyTo(ref v));
        return builder.ToAnnotations();
    }

    /// <summary>Annotations that name the slots of a vector column (ML.NET's evaluators print them per class).</summary>
    public static DataViewSchema.Annotations SlotNamesAnnotation(IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var buffer = new VBuffer<ReadOnlyMemory<char>>(names.Count, names.Select(v => v.AsMemory()).ToArray());
        builder.Add(SlotNamesKind, new VectorDataViewType(TextDataViewType.Instance, names.Count), (ref VBuffer<ReadOnlyMemory<char>> v) => buffer.CopyTo(ref v));
        return builder.ToAnnotations();
    }
}
