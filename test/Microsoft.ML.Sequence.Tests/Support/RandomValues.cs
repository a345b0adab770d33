namespace Microsoft.ML.Sequence.Tests.Support;

/// <summary>Deterministic random inputs for the engine tests (plain <see cref="System.Random"/>, no libtorch), shared by the module tests.</summary>
internal static class RandomValues
{
    public static long Count(long[] shape)
    {
        long count = 1;
        foreach (long size in shape)
        {
            count *= size;
        }

        return count;
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static double[] Uniform(int seed, long[] shape, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return values;
    }

    /// <summary>Values with |x| in [<paramref name="minAbs"/>, <paramref name="maxAbs"/>] and a random sign: away
    /// from the kink of relu, abs and friends.</summary>
    public static double[] AwayFromZero(int seed, long[] shape, double minAbs = 0.1, double maxAbs = 2)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            double magnitude = minAbs + (maxAbs - minAbs) * random.NextDouble();
            values[i] = random.Next(2) == 0 ? -magnitude : magnitude;
        }

        return values;
    }

    /// <summary>Pairwise distinct values (at least <paramref name="gap"/> apart) in random order, so max, min, sort
    /// and max pooling have no ties within a finite-difference step.</summary>
    public static double[] Distinct(int seed, long[] shape, double gap = 0.05)
    {
        var random = new Random(seed);
        int count = checked((int)Count(shape));
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (i - count / 2.0) * gap * 2 + random.NextDouble() * gap;
        }

        random.Shuffle(values);
        return values;
    }
}
