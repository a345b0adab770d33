using Microsoft.ML.Sequence;

namespace Microsoft.ML;

/// <summary>Caption evaluation on our catalog: <c>mlContext.Sequence.EvaluateCaptioning(predictions)</c>.</summary>
public static class CaptioningEvaluationExtensions
{
    /// <summary>Scores predicted captions against reference captions with corpus-level BLEU-1 … BLEU-4 (Papineni et al.:
    /// modified n-gram precision clipped against all references of a row, brevity penalty from the closest reference
    /// length); see <see cref="CaptioningMetrics"/>.</summary>
    /// <remarks>Each row is one image. Both columns are lowercased and split into words as the captioner does. The data
    /// is read once, in order, with one cursor.</remarks>
    /// <param name="catalog">The sequence catalog (<c>mlContext.Sequence</c>).</param>
    /// <param name="data">The scored data, one row per image.</param>
    /// <param name="referencesColumnName">The reference captions: Text (one reference) or a vector of Text (all references
    /// of that image; empty strings are ignored). Default: <c>References</c>.</param>
    /// <param name="predictedCaptionColumnName">The predicted caption (Text). Default: <c>PredictedCaption</c>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing (the message lists the columns there are) or of
    /// the wrong type.</exception>
    /// <exception cref="ArgumentException">A row (numbered from 0) has no non-empty reference.</exception>
    public static CaptioningMetrics EvaluateCaptioning(this SequenceCatalog catalog, IDataView data,
        string referencesColumnName = "References", string predictedCaptionColumnName = "PredictedCaption")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CaptioningEvaluator.Evaluate(data, referencesColumnName, predictedCaptionColumnName);
    }
}
