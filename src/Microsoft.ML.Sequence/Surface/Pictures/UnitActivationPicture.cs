using System.Globalization;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Draws one hidden unit's activation over a text (PNG): each token (word or character) on a box coloured by
/// the unit's value there, blue for negative through white to red for positive, scaled to the largest magnitude.</summary>
public static class UnitActivationPicture
{
    /// <summary>Writes unit <paramref name="unit"/> of <paramref name="activations"/> to <paramref name="path"/>.</summary>
    /// <param name="activations">Recorded activations (<see cref="HiddenUnitActivations.Record"/>).</param>
    /// <param name="unit">The unit, from 0 to <see cref="HiddenUnitActivations.UnitCount"/> − 1.</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <param name="subtitle">A line under the title (for example the pattern the unit was picked for), or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is out of range.</exception>
    public static void Save(HiddenUnitActivations activations, int unit, string path, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        Save(activations.Tokens, activations.Unit(unit), path, $"unit {unit} of {activations.UnitCount}" + (subtitle is null ? "" : "; " + subtitle));
    }

    /// <summary>Writes tokens coloured by one value each to <paramref name="path"/>.</summary>
    /// <param name="tokens">The tokens (or characters), in order.</param>
    /// <param name="values">One finite value per token.</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <param name="subtitle">A line under the title, or null.</param>
    /// <exception cref="ArgumentException">The counts differ, there is no token, or a value is not finite.</exception>
    public static void Save(IReadOnlyList<string> tokens, IReadOnlyList<float> values, string path, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (tokens.Count == 0 || tokens.Count != values.Count)
        {
            throw new ArgumentException($"{tokens.Count} tokens and {values.Count} values: give one value per token, at least one token.", nameof(values));
        }

        if (values.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("An activation is not finite.", nameof(values));
        }

        double scale = Math.Max(values.Max(v => Math.Abs(v)), 1e-12);
        string range = string.Create(CultureInfo.InvariantCulture, $"values from {values.Min():0.000} to {values.Max():0.000}");
        TokenStrip.Save("Hidden unit activation", (subtitle is null ? "" : subtitle + "; ") + range, tokens,
            values.Select(v => PictureCanvas.Diverging(v / scale)).ToArray(), null,
            (picture, rect) => TokenStrip.ColorBar(picture, rect, PictureCanvas.Diverging, -1, 1,
                (-scale).ToString("0.000", CultureInfo.InvariantCulture), scale.ToString("0.000", CultureInfo.InvariantCulture), "activation"),
            path);
    }
}
