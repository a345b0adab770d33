using System.Globalization;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Pictures;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary><c>mlseq predict --text … --pictures DIR</c> for a text classifier: the library's attention strip (attention
/// pooling only) and the activation of the hidden unit most correlated with the text's inside-quotes pattern (or, for a
/// text without quotes, with the position in the text).</summary>
internal static class TextClassificationPictures
{
    public static IReadOnlyList<string> Write(Terminal terminal, TextClassifierTransformer classifier, string text, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (classifier.Options.Pooling == TimePooling.Attention)
        {
            AttentionStripPicture.Save(classifier, text, Path.Combine(folder, "attention.png"));
            written.Add("attention.png");
        }

        HiddenUnitActivations activations = HiddenUnitActivations.Record(classifier, text);
        double[] quotes = TextPatterns.InsideQuotes(activations.Tokens);
        bool quoted = quotes.Any(v => v > 0) && quotes.Any(v => v == 0);
        (double[] pattern, string name) = quoted ? (quotes, "inside quotes") : (TextPatterns.LinePosition(activations.Tokens), "position in the text");
        IReadOnlyList<UnitCorrelation> units = activations.MostCorrelatedUnits(pattern, 3);
        terminal.Line($"units most correlated with \"{name}\": " + string.Join(", ",
            units.Select(u => string.Create(CultureInfo.InvariantCulture, $"{u.Unit} (r = {u.Correlation:0.000})"))));
        UnitActivationPicture.Save(activations, units[0].Unit, Path.Combine(folder, "unit.png"),
            string.Create(CultureInfo.InvariantCulture, $"most correlated with \"{name}\" (r = {units[0].Correlation:0.000})"));
        written.Add("unit.png");
        return written;
    }
}
