namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Figures computed over the whole validation set at the end of an epoch.</summary>
internal sealed record ValidationResult(double Loss, double Accuracy, double F1)
{
    public double Get(ValidationMetric metric) => metric switch
    {
        ValidationMetric.Loss => Loss,
        ValidationMetric.Accuracy => Accuracy,
        ValidationMetric.F1 => F1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown validation metric."),
    };
}
