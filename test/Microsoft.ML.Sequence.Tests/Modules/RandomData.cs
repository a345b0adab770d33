namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>Deterministic random arrays for layer tests.</summary>
internal static class RandomData
{
    public static double[] Uniform(int seed, int count, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
    }
}
