namespace Microsoft.ML.Sequence;

/// <summary>What <see cref="SpanEvaluator"/> counts: token accuracy and, per span type (ordinal order), the gold,
/// predicted and correct spans; precision, recall and F1 follow from them (micro-averaged over spans overall).</summary>
/// <param name="TokenAccuracy">Share of tokens tagged correctly, in [0, 1].</param>
/// <param name="TypeNames">Span types in ordinal order; the count lists follow it.</param>
/// <param name="GoldSpanCounts">Gold spans per type.</param>
/// <param name="PredictedSpanCounts">Predicted spans per type.</param>
/// <param name="CorrectSpanCounts">Correct spans (same start, end and type as a gold span) per type.</param>
internal sealed record SpanCounts(double TokenAccuracy, IReadOnlyList<string> TypeNames, IReadOnlyList<int> GoldSpanCounts,
    IReadOnlyList<int> PredictedSpanCounts, IReadOnlyList<int> CorrectSpanCounts)
{
    /// <summary>Correct spans / predicted spans over all types (0 when nothing was predicted).</summary>
    public double Precision => Ratio(CorrectSpanCounts.Sum(), PredictedSpanCounts.Sum());

    /// <summary>Correct spans / gold spans over all types (0 when there are no gold spans).</summary>
    public double Recall => Ratio(CorrectSpanCounts.Sum(), GoldSpanCounts.Sum());

    /// <summary>2PR / (P + R) of <see cref="Precision"/> and <see cref="Recall"/> (0 when both are 0).</summary>
    public double F1Score => F1(Precision, Recall);

    /// <summary>Precision of one type.</summary>
    public double TypePrecision(string type) => Ratio(CorrectSpanCounts[IndexOf(type)], PredictedSpanCounts[IndexOf(type)]);

    /// <summary>Recall of one type.</summary>
    public double TypeRecall(string type) => Ratio(CorrectSpanCounts[IndexOf(type)], GoldSpanCounts[IndexOf(type)]);

    /// <summary>F1 of one type.</summary>
    public double TypeF1(string type) => F1(TypePrecision(type), TypeRecall(type));

    private int IndexOf(string type)
    {
        int index = TypeNames.ToList().IndexOf(type);
        return index >= 0 ? index : throw new KeyNotFoundException($"No span type \"{type}\".");
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}
