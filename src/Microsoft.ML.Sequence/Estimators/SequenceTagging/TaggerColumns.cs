using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>Schema checks and column reads shared by the tagger's estimator, transformer and evaluator.</summary>
internal static class TaggerColumns
{
    public static readonly VectorColumnType TextVector = new(TextColumnType.Instance);

    public static readonly VectorColumnType FloatVector = new(NumberColumnType.Float32);

    /// <summary>The index of a vector-of-text column, or an <see cref="ArgumentException"/> that names the column, the
    /// setting it came from, the type found and the columns present.</summary>
    public static int RequireTextVector(SequenceSchema schema, string columnName, string role, string parameterName)
    {
        if (!schema.TryGetIndex(columnName, out int index))
        {
            throw new ArgumentException(
                $"The {role} column \"{columnName}\" ({parameterName}) is not in the data; its columns are: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type})"))}.",
                parameterName);
        }

        SequenceColumnType type = schema[index].Type;
        if (type is not VectorColumnType { ItemType: TextColumnType })
        {
            string hint = type is VectorColumnType { ItemType: KeyColumnType } ? " Map the keys back to text first (MapKeyToValue)." : string.Empty;
            throw new ArgumentException(
                $"The {role} column \"{columnName}\" ({parameterName}) must be a vector of text (Vector<Text>, one entry per token, as the CoNLL loader gives it), but it is {type}.{hint}",
                parameterName);
        }

        return index;
    }

    /// <summary>Reads text vectors of one or two columns row by row, checking that paired rows have equal lengths.</summary>
    public static (List<string[]> First, List<string[]>? Second) ReadTextVectors(ISequenceDataView view, int first, int? second,
        CancellationToken cancellationToken)
    {
        var a = new List<string[]>();
        List<string[]>? b = second is null ? null : new List<string[]>();
        using DataCursor cursor = view.GetCursor();
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            string[] x = cursor.GetValue<string[]>(first) ?? [];
            a.Add(x);
            if (second is int s)
            {
                string[] y = cursor.GetValue<string[]>(s) ?? [];
                if (y.Length != x.Length)
                {
                    throw new InvalidDataException(
                        $"Row {cursor.Position}: column \"{view.Schema[first].Name}\" has {x.Length} entries but column \"{view.Schema[s].Name}\" has {y.Length}; a tagger needs one tag per token.");
                }

                b!.Add(y);
            }
        }

        return (a, b);
    }
}
