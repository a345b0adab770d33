using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Columns;

/// <summary>Finds and checks an estimator's input columns, in a <see cref="DataViewSchema"/> (at <c>Fit</c> and
/// <c>Transform</c>) or a <see cref="SchemaShape"/> (at <c>GetOutputSchema</c>), with the same rule and the same messages
/// for both. Messages follow ML.NET's ("Could not find … column", "Schema mismatch for … column") and also list what the
/// input has.</summary>
internal static class InputColumns
{
    /// <summary>The shape of a column: scalar or vector, item type, key or not.</summary>
    public static ColumnShape Shape(DataViewType type) => type is VectorDataViewType vector
        ? new ColumnShape(vector.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector,
            vector.ItemType, vector.ItemType is KeyDataViewType)
        : new ColumnShape(SchemaShape.Column.VectorKind.Scalar, type, type is KeyDataViewType);

    /// <summary>The named column of <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column; the message lists the columns there are.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string component) =>
        schema.GetColumnOrNull(name) ?? throw NotFound(name, role, component, schema.Select(c => $"{c.Name} ({c.Type})"));

    /// <summary>The named column of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column; the message lists the columns there are.</exception>
    public static SchemaShape.Column Find(SchemaShape shape, string name, string role, string component)
    {
        foreach (SchemaShape.Column column in shape)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        throw NotFound(name, role, component, shape.Select(c => $"{c.Name} ({Describe(new ColumnShape(c.Kind, c.ItemType, c.IsKey))})"));
    }

    /// <summary>The exception for a column of the wrong type.</summary>
    public static ArgumentOutOfRangeException Mismatch(string name, string role, string component, string expected, ColumnShape found) =>
        new("inputSchema", $"{component}: Schema mismatch for {role} column '{name}': expected {expected}, got {Describe(found)}.");

    /// <summary>A column shape as ML.NET prints types (e.g. <c>Vector&lt;Key&lt;UInt32&gt;&gt;</c>).</summary>
    public static string Describe(ColumnShape shape)
    {
        // A SchemaShape gives a key column's raw type (UInt32) with IsKey set: print it as a key all the same.
        string item = shape.IsKey && shape.ItemType is not KeyDataViewType ? $"Key<{shape.ItemType}>" : $"{shape.ItemType}";
        return shape.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
    }

    private static ArgumentOutOfRangeException NotFound(string name, string role, string component, IEnumerable<string> columns) =>
        new("inputSchema", $"{component}: Could not find {role} column '{name}'; the input has: {string.Join(", ", columns)}.");
}

/// <summary>What <see cref="SchemaShape.Column"/> says about a column, also computed from a <see cref="DataViewType"/>.</summary>
/// <param name="Kind">Scalar, fixed-size vector or variable-size vector.</param>
/// <param name="ItemType">The type of the column or of one slot.</param>
/// <param name="IsKey">Whether the items are keys.</param>
internal sealed record ColumnShape(SchemaShape.Column.VectorKind Kind, DataViewType ItemType, bool IsKey)
{
    /// <summary>The shape of a column of an estimator's input.</summary>
    public static ColumnShape Of(SchemaShape.Column column) => new(column.Kind, column.ItemType, column.IsKey);

    /// <summary>True for a scalar of <paramref name="type"/>.</summary>
    public bool IsScalar(DataViewType type) => Kind == SchemaShape.Column.VectorKind.Scalar && ItemType.Equals(type);

    /// <summary>True for a vector (any size) of <paramref name="type"/>.</summary>
    public bool IsVectorOf(DataViewType type) => Kind != SchemaShape.Column.VectorKind.Scalar && ItemType.Equals(type);

    /// <summary>True for a vector (any size) of keys.</summary>
    public bool IsKeyVector => Kind != SchemaShape.Column.VectorKind.Scalar && IsKey;
}
