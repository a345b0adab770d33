using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The tagger's column rules, for a <see cref="DataViewSchema"/> (<c>Fit</c>, <c>Transform</c>) and a
/// <see cref="SchemaShape"/> (<c>GetOutputSchema</c>) alike, and the readers of one row's tokens and tags.</summary>
internal static class TaggerColumns
{
    public const string TokensRole = "tokens";
    public const string LabelRole = "label";

    /// <summary>Throws unless <paramref name="shape"/> is a vector of Text or of keys.</summary>
    public static void CheckTokens(ColumnShape shape, string name, string component)
    {
        if (!shape.IsVectorOf(TextDataViewType.Instance) && !shape.IsKeyVector)
        {
            throw InputColumns.Mismatch(name, TokensRole, component, "a vector of Text or a vector of keys (one entry per token)", shape);
        }
    }

    /// <summary>Throws unless <paramref name="shape"/> is a vector of keys.</summary>
    public static void CheckLabel(ColumnShape shape, string name, string component)
    {
        if (!shape.IsKeyVector)
        {
            throw InputColumns.Mismatch(name, LabelRole, component,
                "a vector of keys, one tag per token (MapValueToKey on a vector of Text)", shape);
        }
    }

    public static DataViewSchema.Column FindTokens(DataViewSchema schema, string name, string component)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, name, TokensRole, component);
        CheckTokens(InputColumns.Shape(column.Type), name, component);
        return column;
    }

    public static void FindTokens(SchemaShape shape, string name, string component) =>
        CheckTokens(ColumnShape.Of(InputColumns.Find(shape, name, TokensRole, component)), name, component);

    public static DataViewSchema.Column FindLabel(DataViewSchema schema, string name, string component)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, name, LabelRole, component);
        CheckLabel(InputColumns.Shape(column.Type), name, component);
        return column;
    }

    public static SchemaShape.Column FindLabel(SchemaShape shape, string name, string component)
    {
        SchemaShape.Column column = InputColumns.Find(shape, name, LabelRole, component);
        CheckLabel(ColumnShape.Of(column), name, component);
        return column;
    }

    /// <summary>Reads a row's tokens as strings: Text as it is, keys as their key values (a missing key 0 reads as an
    /// empty token, which the vocabularies map to UNK).</summary>
    public static Func<string[]> TokenReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType is not KeyDataViewType)
        {
            return RowReaders.TextVector(row, column);
        }

        string[] values = RowReaders.KeyValues(column);
        Func<uint[]> keys = RowReaders.KeyVector(row, column);
        return () => Array.ConvertAll(keys(), k => k == 0 || k > values.Length ? string.Empty : values[k - 1]);
    }
}
