using Microsoft.ML.Sequence;

namespace Microsoft.ML;

/// <summary>Sequence-tagging evaluation on ML.NET's multiclass catalog:
/// <c>mlContext.MulticlassClassification.EvaluateSequenceTagging(predictions, "Tags", "PredictedLabel")</c>.</summary>
public static class SequenceTaggingEvaluationExtensions
{
    /// <summary>Scores predicted tag sequences against gold ones: token accuracy, and span precision, recall and F1 by
    /// the rules of the CoNLL script conlleval (micro, macro and per span type).</summary>
    /// <remarks>
    /// <para>Each row is one sentence. Both columns are vectors of keys (<c>VectorDataViewType</c> of
    /// <c>KeyDataViewType</c> with UInt32 keys, 1-based) carrying a <c>KeyValues</c> annotation of text, as
    /// <c>mlContext.Transforms.Conversion.MapValueToKey</c> makes from a vector of strings; a tagger's
    /// <c>PredictedLabel</c> shares the label's key values. Each column's keys are mapped to tags through its own
    /// <c>KeyValues</c>, so the two columns may also come from different mappings. In a row both vectors have one tag
    /// per token.</para>
    /// <para>The data is read once, in order, with one cursor.</para>
    /// </remarks>
    /// <param name="catalog">The multiclass catalog (<c>mlContext.MulticlassClassification</c>).</param>
    /// <param name="data">The scored data, one row per sentence.</param>
    /// <param name="labelColumnName">The gold tags. Default: <c>Label</c>.</param>
    /// <param name="predictedLabelColumnName">The predicted tags. Default: <c>PredictedLabel</c>.</param>
    /// <param name="tagFormat">How tags mark spans. Default: <see cref="SpanTagFormat.Prefixed"/> (conlleval's default
    /// rules for B-/I-/E-/S- tags).</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing (the message lists the columns there are), is not a
    /// vector of UInt32 keys, or has no text <c>KeyValues</c> annotation; or, for a row (numbered from 0), the two vectors
    /// differ in length or a key is 0 (missing) or beyond the <c>KeyValues</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tagFormat"/> is not a defined value.</exception>
    public static SequenceTaggingMetrics EvaluateSequenceTagging(this MulticlassClassificationCatalog catalog, IDataView data,
        string labelColumnName = "Label", string predictedLabelColumnName = "PredictedLabel",
        SpanTagFormat tagFormat = SpanTagFormat.Prefixed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SequenceTaggingEvaluator.Evaluate(data, labelColumnName, predictedLabelColumnName, tagFormat);
    }
}
