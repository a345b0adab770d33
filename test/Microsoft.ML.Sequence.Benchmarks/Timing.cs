namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Summary of repeated measurements.</summary>
internal sealed record Timing(double Median, double Min, double Max, int Count)
{
    public static Timing Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        double[] sorted = samples.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Timing(median, sorted[0], sorted[^1], n);
    }
}
