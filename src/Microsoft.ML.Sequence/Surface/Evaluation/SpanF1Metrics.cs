using System.Globalization;
using System.Text;

namespace Microsoft.ML.Sequence;

/// <summary>Sequence-tagging quality: token accuracy and span precision, recall and F1 by the conlleval rules,
/// overall (micro-averaged over spans) and per span type.</summary>
/// <remarks>Tags without a <c>B-</c>/<c>I-</c>/<c>E-</c>/<c>S-</c> prefix (part-of-speech tags such as <c>NOUN</c>)
/// form spans of an empty type, as in conlleval: for such tag sets <see cref="TokenAccuracy"/> is the figure to read.</remarks>
public sealed class SpanF1Metrics : SequenceMetrics
{
    /// <summary>Creates the metrics from span counts.</summary>
    /// <param name="tokenAccuracy">Share of tokens whose predicted tag equals the gold tag, in [0, 1].</param>
    /// <param name="typeNames">Span types (e.g. <c>PER</c>), one per entry of the count lists.</param>
    /// <param name="goldCounts">Gold spans per type.</param>
    /// <param name="predictedCounts">Predicted spans per type.</param>
    /// <param name="correctCounts">Predicted spans equal to a gold span (start, end and type) per type.</param>
    public SpanF1Metrics(double tokenAccuracy, IReadOnlyList<string> typeNames, IReadOnlyList<int> goldCounts,
        IReadOnlyList<int> predictedCounts, IReadOnlyList<int> correctCounts)
    {
        ArgumentNullException.ThrowIfNull(typeNames);
        ArgumentNullException.ThrowIfNull(goldCounts);
        ArgumentNullException.ThrowIfNull(predictedCounts);
        ArgumentNullException.ThrowIfNull(correctCounts);
        if (goldCounts.Count != typeNames.Count || predictedCounts.Count != typeNames.Count || correctCounts.Count != typeNames.Count)
        {
            throw new ArgumentException("Every count list needs one entry per type name.", nameof(typeNames));
        }

        TokenAccuracy = tokenAccuracy;
        TypeNames = typeNames.ToArray();
        GoldSpanCounts = goldCounts.ToArray();
        PredictedSpanCounts = predictedCounts.ToArray();
        CorrectSpanCounts = correctCounts.ToArray();
        double[] precision = TypeNames.Select((_, i) => Ratio(CorrectSpanCounts[i], PredictedSpanCounts[i])).ToArray();
        double[] recall = TypeNames.Select((_, i) => Ratio(CorrectSpanCounts[i], GoldSpanCounts[i])).ToArray();
        PerTypePrecision = new PerClassValues("Precision", TypeNames, precision);
        PerTypeRecall = new PerClassValues("Recall", TypeNames, recall);
        PerTypeF1 = new PerClassValues("F1", TypeNames, precision.Select((p, i) => F1(p, recall[i])).ToArray());
        Precision = Ratio(CorrectSpanCounts.Sum(), PredictedSpanCounts.Sum());
        Recall = Ratio(CorrectSpanCounts.Sum(), GoldSpanCounts.Sum());
        F1Score = F1(Precision, Recall);
    }

    /// <summary>Share of tokens tagged correctly, in [0, 1]; higher is better.</summary>
    public double TokenAccuracy { get; }

    /// <summary>Correct spans / predicted spans over all types, in [0, 1] (0 when nothing was predicted); higher is better.</summary>
    public double Precision { get; }

    /// <summary>Correct spans / gold spans over all types, in [0, 1] (0 when there are no gold spans); higher is better.</summary>
    public double Recall { get; }

    /// <summary>Harmonic mean 2PR / (P + R) of <see cref="Precision"/> and <see cref="Recall"/>, in [0, 1]; higher is better.</summary>
    public double F1Score { get; }

    /// <summary>Span types in ordinal order; the per-type lists follow it.</summary>
    public IReadOnlyList<string> TypeNames { get; }

    /// <summary>Gold spans per type.</summary>
    public IReadOnlyList<int> GoldSpanCounts { get; }

    /// <summary>Predicted spans per type.</summary>
    public IReadOnlyList<int> PredictedSpanCounts { get; }

    /// <summary>Correct spans per type.</summary>
    public IReadOnlyList<int> CorrectSpanCounts { get; }

    /// <summary>Precision per type, in [0, 1]; higher is better.</summary>
    public PerClassValues PerTypePrecision { get; }

    /// <summary>Recall per type, in [0, 1]; higher is better.</summary>
    public PerClassValues PerTypeRecall { get; }

    /// <summary>F1 per type, in [0, 1]; higher is better.</summary>
    public PerClassValues PerTypeF1 { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<MetricEntry> GetEntries() =>
    [
        new(nameof(TokenAccuracy), TokenAccuracy, HigherIsBetter: true),
        new(nameof(Precision), Precision, HigherIsBetter: true),
        new(nameof(Recall), Recall, HigherIsBetter: true),
        new(nameof(F1Score), F1Score, HigherIsBetter: true),
    ];

    /// <inheritdoc/>
    public override IReadOnlyList<PerClassValues> GetPerClassValues() => [PerTypePrecision, PerTypeRecall, PerTypeF1];

    /// <summary>A table in the manner of conlleval: token accuracy, then one row per type with span counts, precision,
    /// recall and F1, and an overall row.</summary>
    /// <returns>The table as text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"token accuracy {TokenAccuracy:0.0000}");
        text.AppendLine("type          gold  predicted  correct  precision  recall      F1");
        for (int i = 0; i < TypeNames.Count; i++)
        {
            text.AppendLine(Row(TypeNames[i], GoldSpanCounts[i], PredictedSpanCounts[i], CorrectSpanCounts[i],
                PerTypePrecision[i], PerTypeRecall[i], PerTypeF1[i]));
        }

        text.Append(Row("overall", GoldSpanCounts.Sum(), PredictedSpanCounts.Sum(), CorrectSpanCounts.Sum(), Precision, Recall, F1Score));
        return text.ToString();
    }

    private static string Row(string name, int gold, int predicted, int correct, double p, double r, double f) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-12} {gold,5} {predicted,10} {correct,8} {p,10:0.0000} {r,7:0.0000} {f,7:0.0000}");

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}
