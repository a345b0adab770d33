namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Checks a transform's input column and phrases the error (column, expected and actual type).</summary>
internal static class ColumnRequirement
{
    public static SchemaColumn Require(SequenceSchema schema, string name, string transform, string expected,
        Func<SequenceColumnType, bool> accept)
    {
        if (!schema.TryGetIndex(name, out int index))
        {
            throw new ArgumentException(
                $"{transform}: input column \"{name}\" not found; the data has: {string.Join(", ", schema.Select(c => c.Name))}.");
        }

        SchemaColumn column = schema[index];
        if (!accept(column.Type))
        {
            throw new ArgumentException($"{transform}: column \"{name}\" must be {expected}, but it is {column.Type}.");
        }

        return column;
    }

    public static bool IsTextOrTextVector(SequenceColumnType type) =>
        type is TextColumnType || type is VectorColumnType { ItemType: TextColumnType };

    public static bool IsKeyOrKeyVector(SequenceColumnType type) =>
        type is KeyColumnType || type is VectorColumnType { ItemType: KeyColumnType };

    public static void RequireName(string? name, string property)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{property} must name a column.", property);
        }
    }
}
