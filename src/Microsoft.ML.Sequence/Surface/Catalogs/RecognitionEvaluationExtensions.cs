using Microsoft.ML.Sequence;

namespace Microsoft.ML;

/// <summary>Recognition evaluation on our catalog:
/// <c>mlContext.Sequence.EvaluateRecognition(predictions, "Text", "PredictedText")</c>.</summary>
public static class RecognitionEvaluationExtensions
{
    /// <summary>Scores recognised text against the reference text: character error rate, word error rate and sequence
    /// accuracy, summed over the whole data set (see <see cref="RecognitionMetrics"/> for the formulas).</summary>
    /// <remarks>Each row is one line or utterance. Both columns are text (<c>String</c>) scalars; a missing value
    /// counts as empty text. The data is read once, in order, with one cursor.</remarks>
    /// <param name="catalog">Our catalog (<c>mlContext.Sequence</c>).</param>
    /// <param name="predictions">The scored data, e.g. the output of a CTC recognizer's <c>Transform</c>.</param>
    /// <param name="labelColumnName">The reference text. Default: <c>Text</c>.</param>
    /// <param name="predictedTextColumnName">The recognised text. Default: <c>PredictedText</c>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing (the message lists the columns there are) or is
    /// not a text scalar.</exception>
    public static RecognitionMetrics EvaluateRecognition(this SequenceCatalog catalog, IDataView predictions,
        string labelColumnName = "Text", string predictedTextColumnName = "PredictedText")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return RecognitionEvaluator.Evaluate(predictions, labelColumnName, predictedTextColumnName);
    }
}
