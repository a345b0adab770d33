using System.Text.RegularExpressions;

namespace QuickStart;

/// <summary>One labelled sentence of the UCI "Sentiment Labelled Sentences" set.</summary>
internal sealed record LabelledSentence(string Text, int Label, string Source);

/// <summary>Reads the three UCI files (<c>sentence TAB label</c>) and turns sentences into token ids.</summary>
internal static partial class SentenceData
{
    public static readonly string[] Files = ["yelp_labelled.txt", "imdb_labelled.txt", "amazon_cells_labelled.txt"];

    public static List<LabelledSentence> Load(string sentimentDirectory)
    {
        var rows = new List<LabelledSentence>();
        foreach (string file in Files)
        {
            string path = Path.Combine(sentimentDirectory, file);
            int lineNumber = 0;
            foreach (string line in File.ReadLines(path))
            {
                lineNumber++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                int tab = line.LastIndexOf('\t');
                string labelText = tab < 0 ? "" : line[(tab + 1)..].Trim();
                if (tab < 0 || (labelText != "0" && labelText != "1"))
                {
                    throw new InvalidDataException($"{path} line {lineNumber}: expected 'sentence<TAB>0|1', got '{line}'");
                }

                rows.Add(new LabelledSentence(line[..tab].Trim(), labelText == "1" ? 1 : 0, file));
            }
        }

        return rows;
    }

    public static IEnumerable<string> Tokenize(string text) =>
        TokenPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex("[a-z0-9]+(?:'[a-z]+)?")]
    private static partial Regex TokenPattern();
}
