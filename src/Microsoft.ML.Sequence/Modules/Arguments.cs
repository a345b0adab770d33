namespace Microsoft.ML.Sequence.Modules;

/// <summary>Argument checks that throw <see cref="ArgumentOutOfRangeException"/> with the expected range and the
/// actual value (STYLE G6).</summary>
internal static class Arguments
{
    /// <summary>Requires a finite value ≥ 0.</summary>
    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0; got {value}.");
        }

        return value;
    }

    /// <summary>Requires a finite value &gt; 0.</summary>
    public static double Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0; got {value}.");
        }

        return value;
    }

    /// <summary>Requires <paramref name="low"/> ≤ value &lt; <paramref name="high"/>.</summary>
    public static double HalfOpen(double value, double low, double high, string name)
    {
        if (!(value >= low && value < high))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{low}, {high}); got {value}.");
        }

        return value;
    }

    /// <summary>Requires <paramref name="low"/> ≤ value ≤ <paramref name="high"/>.</summary>
    public static double Closed(double value, double low, double high, string name)
    {
        if (!(value >= low && value <= high))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{low}, {high}]; got {value}.");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="low"/> ≤ <paramref name="value"/> ≤ <paramref name="high"/>.</summary>
    public static void Range(int value, int low, int high, string name)
    {
        if (value < low || value > high)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{low}, {high}]; got {value}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a named member of <typeparamref name="T"/> (STYLE G5).</summary>
    public static void Defined<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}; got {value}.");
        }
    }
}
