namespace Microsoft.ML.Sequence;

/// <summary>One headline value of a metrics object, as printed in its table.</summary>
/// <param name="Name">Metric name, e.g. <c>MacroF1</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="HigherIsBetter">True when larger values are better (accuracy), false when smaller are (error rate).</param>
public sealed record MetricEntry(string Name, double Value, bool HigherIsBetter);
