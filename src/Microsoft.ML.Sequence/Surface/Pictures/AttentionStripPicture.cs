using System.Globalization;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Modules.Pooling;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Draws the per-token attention of a sentence as a coloured strip (PNG): each token on a box shaded by its
/// attention weight (white 0 to deep blue at the largest weight), the weight printed under it.</summary>
/// <example><code>AttentionStripPicture.Save(classifier, "a gripping , beautifully acted film", "attention.png");</code></example>
public static class AttentionStripPicture
{
    /// <summary>Writes the attention of <paramref name="model"/> (trained with <see cref="TimePooling.Attention"/>) over
    /// <paramref name="text"/> to <paramref name="path"/>, with the predicted class and its probability in the title.</summary>
    /// <param name="model">A text classifier with attention pooling that reads text.</param>
    /// <param name="text">The sentence to show.</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <exception cref="InvalidOperationException">The model does not pool by attention, or reads keys, not text.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> has no token.</exception>
    public static void Save(TextClassifierTransformer model, string text, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        if (model.Options.Pooling != TimePooling.Attention)
        {
            throw new InvalidOperationException($"The model pools by {model.Options.Pooling}, not by attention: it has no attention weights to draw.");
        }

        string[] tokens = model.Tokenize(text);
        if (tokens.Length == 0)
        {
            throw new ArgumentException("The text has no token.", nameof(text));
        }

        ClassifierPrediction prediction = model.Score([model.Encoder.Encode(tokens)])[0];
        int best = Array.IndexOf(prediction.Probabilities, prediction.Probabilities.Max());
        string[] shown = tokens.Select(t => model.Vocabulary.TryGetKey(t, out _) ? t : $"{t} (UNK)").ToArray();
        Save(shown, prediction.AttentionWeights!, path,
            string.Create(CultureInfo.InvariantCulture, $"predicted {model.Classes[best]} (p = {prediction.Probabilities[best]:0.000})"));
    }

    /// <summary>Writes tokens shaded by their attention weights to <paramref name="path"/>.</summary>
    /// <param name="tokens">The tokens, in order.</param>
    /// <param name="weights">One weight per token, each ≥ 0 (attention weights sum to 1).</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <param name="subtitle">A line under the title (for example the prediction), or null.</param>
    /// <exception cref="ArgumentException">The counts differ, there is no token, or a weight is negative or not finite.</exception>
    public static void Save(IReadOnlyList<string> tokens, IReadOnlyList<float> weights, string path, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (tokens.Count == 0 || tokens.Count != weights.Count)
        {
            throw new ArgumentException($"{tokens.Count} tokens and {weights.Count} weights: give one weight per token, at least one token.", nameof(weights));
        }

        if (weights.Any(w => !(w >= 0) || !float.IsFinite(w)))
        {
            throw new ArgumentException("An attention weight is negative or not finite.", nameof(weights));
        }

        double max = Math.Max(weights.Max(), 1e-12);
        int top = Enumerable.Range(0, tokens.Count).MaxBy(i => weights[i]);
        string line = (subtitle is null ? "" : subtitle + "; ") +
            string.Create(CultureInfo.InvariantCulture, $"{tokens.Count} tokens, largest weight {weights[top]:0.000} on \"{tokens[top]}\"");
        TokenStrip.Save("Attention over the sentence", line, tokens,
            weights.Select(w => PictureCanvas.Sequential(w / max)).ToArray(),
            weights.Select(w => w.ToString("0.000", CultureInfo.InvariantCulture)).ToArray(),
            (picture, rect) => TokenStrip.ColorBar(picture, rect, PictureCanvas.Sequential, 0, 1, "0",
                max.ToString("0.000", CultureInfo.InvariantCulture), "attention weight"),
            path);
    }
}
