namespace Microsoft.ML.Sequence;

/// <summary>Span precision, recall and F1 of one span type (e.g. <c>PER</c>), with the counts they come from; part of
/// <see cref="SequenceTaggingMetrics.PerType"/>.</summary>
public sealed class SpanTypeMetrics
{
    /// <summary>Creates the metrics of one span type from its counts.</summary>
    /// <param name="type">The span type, e.g. <c>PER</c> (empty for spans of tags without a type).</param>
    /// <param name="support">Gold spans of this type, at least 0.</param>
    /// <param name="predictedCount">Predicted spans of this type, at least 0.</param>
    /// <param name="correctCount">Predicted spans equal to a gold span in start, end and type; from 0 to the smaller of
    /// <paramref name="support"/> and <paramref name="predictedCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or <paramref name="correctCount"/> exceeds the
    /// other two.</exception>
    public SpanTypeMetrics(string type, int support, int predictedCount, int correctCount)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(support);
        ArgumentOutOfRangeException.ThrowIfNegative(predictedCount);
        ArgumentOutOfRangeException.ThrowIfNegative(correctCount);
        if (correctCount > Math.Min(support, predictedCount))
        {
            throw new ArgumentOutOfRangeException(nameof(correctCount), correctCount,
                $"At most min(support, predictedCount) = {Math.Min(support, predictedCount)} spans can be correct.");
        }

        Type = type;
        Support = support;
        PredictedCount = predictedCount;
        CorrectCount = correctCount;
        Precision = Ratio(correctCount, predictedCount);
        Recall = Ratio(correctCount, support);
        F1Score = HarmonicMean(Precision, Recall);
    }

    /// <summary>The span type, e.g. <c>PER</c>; empty for spans of tags that have no type.</summary>
    public string Type { get; }

    /// <summary>Number of gold spans of this type.</summary>
    public int Support { get; }

    /// <summary>Number of predicted spans of this type.</summary>
    public int PredictedCount { get; }

    /// <summary>Number of predicted spans of this type whose start, end and type equal a gold span's.</summary>
    public int CorrectCount { get; }

    /// <summary><see cref="CorrectCount"/> / <see cref="PredictedCount"/>, in [0, 1] (0 when none was predicted);
    /// higher is better.</summary>
    public double Precision { get; }

    /// <summary><see cref="CorrectCount"/> / <see cref="Support"/>, in [0, 1] (0 when there is no gold span); higher is
    /// better.</summary>
    public double Recall { get; }

    /// <summary>Harmonic mean 2PR / (P + R) of <see cref="Precision"/> and <see cref="Recall"/>, in [0, 1] (0 when both
    /// are 0); higher is better.</summary>
    public double F1Score { get; }

    /// <summary>One line: type, counts, precision, recall and F1.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => SequenceTaggingMetrics.FormatRow(this);

    internal static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    internal static double HarmonicMean(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
}
