using Microsoft.ML.Sequence.Estimators.TextClassification;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>The activation of every hidden unit of a text classifier's recurrent encoder at every token of one text:
/// the raw material of the "which unit detects what" pictures (<see cref="UnitActivationPicture"/>) and of the search for
/// units that follow a pattern (<see cref="MostCorrelatedUnits"/>).</summary>
/// <remarks>For a bidirectional encoder the units are the forward direction's (0 … H − 1) then the backward
/// direction's (H … 2H − 1); for stacked layers they are the top layer's. Values are the encoder's outputs (for an LSTM,
/// h = o ⊙ tanh(c), in (−1, 1)), computed without dropout.</remarks>
/// <example><code>
/// var activations = HiddenUnitActivations.Record(classifier, "he said \" it was fine \" and left");
/// UnitCorrelation best = activations.MostCorrelatedUnits(TextPatterns.InsideQuotes(activations.Tokens), 1)[0];
/// UnitActivationPicture.Save(activations, best.Unit, "unit.png");
/// </code></example>
public sealed class HiddenUnitActivations
{
    private readonly float[][] _values;

    /// <summary>Wraps recorded activations.</summary>
    /// <param name="tokens">The tokens, in order.</param>
    /// <param name="values">values[position][unit], one row per token, all rows of the same length ≥ 1.</param>
    /// <exception cref="ArgumentException">The counts differ, there is no token, or rows differ in length.</exception>
    public HiddenUnitActivations(IReadOnlyList<string> tokens, IReadOnlyList<IReadOnlyList<float>> values)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(values);
        if (tokens.Count == 0 || tokens.Count != values.Count)
        {
            throw new ArgumentException($"{tokens.Count} tokens and {values.Count} rows of activations: give one row per token, at least one token.", nameof(values));
        }

        int units = values[0]?.Count ?? 0;
        if (units == 0 || values.Any(row => row is null || row.Count != units))
        {
            throw new ArgumentException("Every token needs the same number (≥ 1) of unit activations.", nameof(values));
        }

        Tokens = tokens.ToArray();
        _values = values.Select(row => row.ToArray()).ToArray();
        UnitCount = units;
    }

    /// <summary>The tokens the model read, in order (unknown words are shown as read, although the model saw UNK).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Number of units at each position (2H for a bidirectional encoder of H units per direction).</summary>
    public int UnitCount { get; }

    /// <summary>Runs <paramref name="model"/>'s embedding and recurrent encoder over <paramref name="text"/> (tokenised as the
    /// model was trained) and records every unit at every token.</summary>
    /// <param name="model">A text classifier that reads text.</param>
    /// <param name="text">The text.</param>
    /// <returns>The activations.</returns>
    /// <exception cref="InvalidOperationException">The model reads keys, not text.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> has no token.</exception>
    public static HiddenUnitActivations Record(TextClassifierTransformer model, string text)
    {
        ArgumentNullException.ThrowIfNull(model);
        string[] tokens = model.Tokenize(text);
        if (tokens.Length == 0)
        {
            throw new ArgumentException("The text has no token.", nameof(text));
        }

        return new HiddenUnitActivations(tokens, model.HiddenStates(model.Encoder.Encode(tokens)));
    }

    /// <summary>One unit's activation at every token.</summary>
    /// <param name="unit">The unit, from 0 to <see cref="UnitCount"/> − 1.</param>
    /// <returns>One value per token.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is out of range.</exception>
    public float[] Unit(int unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, UnitCount);
        return _values.Select(row => row[unit]).ToArray();
    }

    /// <summary>The units whose activation over the tokens correlates most (by magnitude of the Pearson correlation) with
    /// <paramref name="pattern"/>, strongest first; for example <see cref="TextPatterns.InsideQuotes"/>.</summary>
    /// <param name="pattern">One value per token (1 where the property holds, 0 elsewhere, or any numbers).</param>
    /// <param name="count">How many units to return, at least 1 (fewer when there are fewer units).</param>
    /// <returns>The units with their correlations.</returns>
    /// <exception cref="ArgumentException">The pattern's length differs from the number of tokens.</exception>
    public IReadOnlyList<UnitCorrelation> MostCorrelatedUnits(IReadOnlyList<double> pattern, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (pattern.Count != Tokens.Count)
        {
            throw new ArgumentException($"The pattern has {pattern.Count} values for {Tokens.Count} tokens.", nameof(pattern));
        }

        return Enumerable.Range(0, UnitCount)
            .Select(u => new UnitCorrelation(u, Pearson(Unit(u), pattern)))
            .OrderByDescending(c => Math.Abs(c.Correlation)).ThenBy(c => c.Unit)
            .Take(count).ToArray();
    }

    private static double Pearson(float[] x, IReadOnlyList<double> y)
    {
        double mx = x.Average(v => (double)v), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx <= 0 || syy <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
