using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence;

/// <summary>Reads a label and a predicted column of key vectors from an <see cref="IDataView"/>, maps each key to its
/// tag through the column's own <c>KeyValues</c> annotation, and counts tokens and spans with <see cref="ConllSpanCounter"/>.</summary>
internal static class SequenceTaggingEvaluator
{
    private const string KeyValuesKind = "KeyValues";

    public static SequenceTaggingMetrics Evaluate(IDataView data, string labelColumnName, string predictedLabelColumnName,
        SpanTagFormat tagFormat)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedLabelColumnName);
        if (!Enum.IsDefined(tagFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(tagFormat), tagFormat, $"Unknown {nameof(SpanTagFormat)}.");
        }

        DataViewSchema.Column label = FindKeyVectorColumn(data.Schema, labelColumnName, "label", nameof(labelColumnName));
        DataViewSchema.Column predicted = FindKeyVectorColumn(data.Schema, predictedLabelColumnName, "predicted label",
            nameof(predictedLabelColumnName));
        ConllTag[] labelTags = ReadTags(label, "label", nameof(labelColumnName), tagFormat);
        ConllTag[] predictedTags = ReadTags(predicted, "predicted label", nameof(predictedLabelColumnName), tagFormat);

        var counter = new ConllSpanCounter();
        using DataViewRowCursor cursor = data.GetRowCursor(label.Index == predicted.Index ? [label] : [label, predicted]);
        ValueGetter<VBuffer<uint>> getLabel = cursor.GetGetter<VBuffer<uint>>(label);
        ValueGetter<VBuffer<uint>> getPredicted = cursor.GetGetter<VBuffer<uint>>(predicted);
        VBuffer<uint> labelKeys = default, predictedKeys = default;
        var gold = new List<ConllTag>();
        var guess = new List<ConllTag>();
        long row = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref labelKeys);
            getPredicted(ref predictedKeys);
            if (labelKeys.Length != predictedKeys.Length)
            {
                throw new ArgumentException(
                    $"Row {row}: column \"{label.Name}\" has {labelKeys.Length} tags but column \"{predicted.Name}\" has " +
                    $"{predictedKeys.Length}; a prediction needs one tag per token.", nameof(data));
            }

            Map(labelKeys, labelTags, label.Name, row, gold);
            Map(predictedKeys, predictedTags, predicted.Name, row, guess);
            counter.AddSentence(gold, guess);
            row++;
        }

        return counter.ToMetrics();
    }

    private static DataViewSchema.Column FindKeyVectorColumn(DataViewSchema schema, string name, string role, string parameter)
    {
        if (schema.GetColumnOrNull(name) is not { } column)
        {
            throw new ArgumentException(
                $"The {role} column \"{name}\" is not in the data. Its columns are: " +
                string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name} ({c.Type})")) + ".", parameter);
        }

        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType key } || key.RawType != typeof(uint))
        {
            throw new ArgumentException(
                $"The {role} column \"{name}\" is {column.Type}; expected a vector of UInt32 keys with KeyValues, one per " +
                "token (what mlContext.Transforms.Conversion.MapValueToKey makes from a vector of strings).", parameter);
        }

        return column;
    }

    private static ConllTag[] ReadTags(DataViewSchema.Column column, string role, string parameter, SpanTagFormat format)
    {
        DataViewSchema.Column? annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is null)
        {
            throw new ArgumentException(
                $"The {role} column \"{column.Name}\" has no KeyValues annotation, so its keys cannot be mapped to tags; " +
                "make it with mlContext.Transforms.Conversion.MapValueToKey (or keep the annotation when building it).", parameter);
        }

        if (annotation.Value.Type is not VectorDataViewType { ItemType: TextDataViewType })
        {
            throw new ArgumentException(
                $"The KeyValues of the {role} column \"{column.Name}\" are {annotation.Value.Type}; tags must be text.", parameter);
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue(KeyValuesKind, ref names);
        return names.DenseValues().Select(n => ConllTag.Parse(n.ToString(), format)).ToArray();
    }

    private static void Map(VBuffer<uint> keys, ConllTag[] tags, string column, long row, List<ConllTag> result)
    {
        result.Clear();
        int token = 0;
        foreach (uint key in keys.DenseValues())
        {
            if (key == 0)
            {
                throw new ArgumentException(
                    $"Row {row}, token {token}: column \"{column}\" holds key 0 (a missing value); every token needs a tag. " +
                    "MapValueToKey gives 0 to values it did not see while fitting: fit it on data that holds every tag.", "data");
            }

            if (key > tags.Length)
            {
                throw new ArgumentException(
                    $"Row {row}, token {token}: column \"{column}\" holds key {key}, but its KeyValues name only {tags.Length} tags.",
                    "data");
            }

            result.Add(tags[key - 1]);
            token++;
        }
    }
}
