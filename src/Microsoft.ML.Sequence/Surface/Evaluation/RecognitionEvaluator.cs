using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;

namespace Microsoft.ML.Sequence;

/// <summary>Reads a reference and a predicted text column from an <see cref="IDataView"/> with one cursor and sums the
/// character and word edit distances with a <see cref="RecognitionCounter"/>.</summary>
internal static class RecognitionEvaluator
{
    private const string Component = "EvaluateRecognition";

    public static RecognitionMetrics Evaluate(IDataView data, string labelColumnName, string predictedTextColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedTextColumnName);
        DataViewSchema.Column label = FindText(data.Schema, labelColumnName, "label");
        DataViewSchema.Column predicted = FindText(data.Schema, predictedTextColumnName, "predicted text");

        var counter = new RecognitionCounter();
        using DataViewRowCursor cursor = data.GetRowCursor(label.Index == predicted.Index ? [label] : [label, predicted]);
        ValueGetter<ReadOnlyMemory<char>> getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(label);
        ValueGetter<ReadOnlyMemory<char>> getPredicted = cursor.GetGetter<ReadOnlyMemory<char>>(predicted);
        ReadOnlyMemory<char> reference = default, prediction = default;
        while (cursor.MoveNext())
        {
            getLabel(ref reference);
            getPredicted(ref prediction);
            counter.Add(reference.Span, prediction.Span);
        }

        return counter.ToMetrics();
    }
    private static DataViewSchema.Column FindText(DataViewSchema schema, string name, string role)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, name, role, Component);
        if (column.Type is not TextDataViewType)
        {
            throw InputColumns.Mismatch(name, role, Component, "String", InputColumns.Shape(column.Type));
        }

        return column;
    }
}
