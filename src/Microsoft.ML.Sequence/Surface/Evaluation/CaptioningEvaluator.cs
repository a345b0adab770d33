using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Estimators.TextClassification;

namespace Microsoft.ML.Sequence;

/// <summary>Reads predicted captions and their references from an <see cref="IDataView"/> and counts BLEU with
/// <see cref="BleuCounter"/>.</summary>
internal static class CaptioningEvaluator
{
    private const string Component = "EvaluateCaptioning";

    /// <summary>Splits a caption into the tokens BLEU compares: lowercased words and punctuation marks, as the captioner
    /// tokenises its training captions.</summary>
    public static string[] Tokenize(string caption) => WordTokenizer.Tokenize(caption, TextTokenization.Words, lowercase: true);

    public static CaptioningMetrics Evaluate(IDataView data, string referencesColumnName, string predictedCaptionColumnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(referencesColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedCaptionColumnName);
        DataViewSchema.Column references = InputColumns.Find(data.Schema, referencesColumnName, "references", Component);
        DataViewSchema.Column predicted = InputColumns.Find(data.Schema, predictedCaptionColumnName, "predicted caption", Component);
        ColumnShape referenceShape = InputColumns.Shape(references.Type);
        if (!referenceShape.IsScalar(TextDataViewType.Instance) && !referenceShape.IsVectorOf(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(referencesColumnName, "references", Component, "Text or a vector of Text", referenceShape);
        }

        if (!InputColumns.Shape(predicted.Type).IsScalar(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(predictedCaptionColumnName, "predicted caption", Component, "Text", InputColumns.Shape(predicted.Type));
        }

        var counter = new BleuCounter();
        using DataViewRowCursor cursor = data.GetRowCursor(references.Index == predicted.Index ? [references] : [references, predicted]);
        Func<string[]> readReferences = referenceShape.Kind == SchemaShape.Column.VectorKind.Scalar
            ? ReadOne(RowReaders.Text(cursor, references))
            : RowReaders.TextVector(cursor, references);
        Func<string> readPrediction = RowReaders.Text(cursor, predicted);
        long row = 0;
        while (cursor.MoveNext())
        {
            IReadOnlyList<string>[] tokenized = readReferences().Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => (IReadOnlyList<string>)Tokenize(r)).ToArray();
            if (tokenized.Length == 0)
            {
                throw new ArgumentException($"{Component}: row {row}, column '{referencesColumnName}' holds no reference caption.", nameof(data));
            }

            counter.Add(Tokenize(readPrediction()), tokenized);
            row++;
        }

        return counter.ToMetrics();
    }

    private static Func<string[]> ReadOne(Func<string> read) => () => [read()];
}
