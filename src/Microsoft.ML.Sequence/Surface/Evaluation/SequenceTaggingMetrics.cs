using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace Microsoft.ML.Sequence;

/// <summary>Sequence-tagging quality, as returned by <c>mlContext.MulticlassClassification.EvaluateSequenceTagging</c>:
/// token accuracy, and span precision, recall and F1 by the rules of the CoNLL script conlleval, micro-averaged over all
/// spans, macro-averaged over span types, and per span type.</summary>
/// <remarks>A predicted span counts as correct only when its start, end and type all equal a gold span's. With
/// <see cref="SpanTagFormat.Prefixed"/> tags (<c>B-PER</c>, <c>I-PER</c>, <c>E-PER</c>, <c>S-PER</c>, <c>O</c>) spans are
/// entities or chunks; plain tags such as part-of-speech tags form no spans, so read <see cref="TokenAccuracy"/> for
/// them or evaluate with <see cref="SpanTagFormat.Raw"/>.</remarks>
public sealed class SequenceTaggingMetrics
{
    /// <summary>Creates the metrics from counts.</summary>
    /// <param name="sentenceCount">Sentences (rows) evaluated, at least 0.</param>
    /// <param name="tokenCount">Tokens evaluated, at least 0.</param>
    /// <param name="correctTokenCount">Tokens whose predicted tag equals the gold tag, from 0 to <paramref name="tokenCount"/>.</param>
    /// <param name="perType">Counts per span type; each type at most once.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="ArgumentException">A span type appears twice.</exception>
    public SequenceTaggingMetrics(long sentenceCount, long tokenCount, long correctTokenCount, IEnumerable<SpanTypeMetrics> perType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sentenceCount);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        ArgumentOutOfRangeException.ThrowIfNegative(correctTokenCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correctTokenCount, tokenCount);
        ArgumentNullException.ThrowIfNull(perType);
        var types = new SortedDictionary<string, SpanTypeMetrics>(StringComparer.Ordinal);
        foreach (SpanTypeMetrics type in perType)
        {
            ArgumentNullException.ThrowIfNull(type, nameof(perType));
            if (!types.TryAdd(type.Type, type))
            {
                throw new ArgumentException($"Span type \"{type.Type}\" appears twice.", nameof(perType));
            }
        }

        SentenceCount = sentenceCount;
        TokenCount = tokenCount;
        CorrectTokenCount = correctTokenCount;
        TokenAccuracy = SpanTypeMetrics.Ratio(correctTokenCount, tokenCount);
        PerType = new ReadOnlyDictionary<string, SpanTypeMetrics>(types);
        GoldSpanCount = types.Values.Sum(t => (long)t.Support);
        PredictedSpanCount = types.Values.Sum(t => (long)t.PredictedCount);
        CorrectSpanCount = types.Values.Sum(t => (long)t.CorrectCount);
        Precision = SpanTypeMetrics.Ratio(CorrectSpanCount, PredictedSpanCount);
        Recall = SpanTypeMetrics.Ratio(CorrectSpanCount, GoldSpanCount);
        F1Score = SpanTypeMetrics.HarmonicMean(Precision, Recall);
        MacroPrecision = types.Count == 0 ? 0 : types.Values.Average(t => t.Precision);
        MacroRecall = types.Count == 0 ? 0 : types.Values.Average(t => t.Recall);
        MacroF1 = types.Count == 0 ? 0 : types.Values.Average(t => t.F1Score);
    }

    /// <summary>Number of sentences (rows) evaluated.</summary>
    public long SentenceCount { get; }

    /// <summary>Number of tokens evaluated.</summary>
    public long TokenCount { get; }

    /// <summary>Number of tokens whose predicted tag equals the gold tag.</summary>
    public long CorrectTokenCount { get; }

    /// <summary><see cref="CorrectTokenCount"/> / <see cref="TokenCount"/>, in [0, 1] (0 for no tokens); higher is better.</summary>
    public double TokenAccuracy { get; }

    /// <summary>Number of gold spans over all types.</summary>
    public long GoldSpanCount { get; }

    /// <summary>Number of predicted spans over all types.</summary>
    public long PredictedSpanCount { get; }

    /// <summary>Number of predicted spans equal to a gold span in start, end and type.</summary>
    public long CorrectSpanCount { get; }

    /// <summary>Micro-averaged span precision, <see cref="CorrectSpanCount"/> / <see cref="PredictedSpanCount"/>, in
    /// [0, 1] (0 when nothing was predicted); higher is better. conlleval's overall precision.</summary>
    public double Precision { get; }

    /// <summary>Micro-averaged span recall, <see cref="CorrectSpanCount"/> / <see cref="GoldSpanCount"/>, in [0, 1]
    /// (0 when there are no gold spans); higher is better. conlleval's overall recall.</summary>
    public double Recall { get; }

    /// <summary>Micro-averaged span F1, the harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>, in [0, 1];
    /// higher is better. conlleval's overall FB1, the figure usually reported for CoNLL-2003.</summary>
    public double F1Score { get; }

    /// <summary>Mean of the per-type precisions over every type in <see cref="PerType"/> (types seen in the gold or the
    /// predicted tags), in [0, 1] (0 for no types); higher is better.</summary>
    public double MacroPrecision { get; }

    /// <summary>Mean of the per-type recalls over every type in <see cref="PerType"/>, in [0, 1] (0 for no types);
    /// higher is better.</summary>
    public double MacroRecall { get; }

    /// <summary>Mean of the per-type F1 scores over every type in <see cref="PerType"/> (as scikit-learn's and
    /// seqeval's macro average), in [0, 1] (0 for no types); higher is better.</summary>
    public double MacroF1 { get; }

    /// <summary>Metrics per span type, keyed and enumerated by type in ordinal order; a type is present when it occurs
    /// in the gold or the predicted spans.</summary>
    public IReadOnlyDictionary<string, SpanTypeMetrics> PerType { get; }

    /// <summary>A table in the manner of conlleval: token accuracy, one row per span type with the span counts,
    /// precision, recall and F1, then the micro ("overall") and macro averages.</summary>
    /// <returns>The table as text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{SentenceCount} sentences, {TokenCount} tokens; token accuracy {TokenAccuracy:0.0000}");
        text.AppendLine($"{"type",-12} {"gold",7} {"predicted",9} {"correct",7} {"precision",9} {"recall",7} {"F1",7}");
        foreach (SpanTypeMetrics type in PerType.Values)
        {
            text.AppendLine(FormatRow(type));
        }

        text.AppendLine(FormatRow("overall", GoldSpanCount, PredictedSpanCount, CorrectSpanCount, Precision, Recall, F1Score));
        text.Append(string.Create(CultureInfo.InvariantCulture,
            $"{"macro",-12} {"",7} {"",9} {"",7} {MacroPrecision,9:0.0000} {MacroRecall,7:0.0000} {MacroF1,7:0.0000}"));
        return text.ToString();
    }

    internal static string FormatRow(SpanTypeMetrics type) => FormatRow(type.Type.Length == 0 ? "(no type)" : type.Type,
        type.Support, type.PredictedCount, type.CorrectCount, type.Precision, type.Recall, type.F1Score);

    private static string FormatRow(string name, long gold, long predicted, long correct, double p, double r, double f) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-12} {gold,7} {predicted,9} {correct,7} {p,9:0.0000} {r,7:0.0000} {f,7:0.0000}");
}
