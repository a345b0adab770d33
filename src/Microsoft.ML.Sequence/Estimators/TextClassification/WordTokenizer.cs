using System.Text.RegularExpressions;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Splits text into tokens by <see cref="TextTokenization"/> (see its members for the rules).</summary>
internal static partial class WordTokenizer
{
    private static readonly string[] Clitics = ["'s", "'re", "'ve", "'ll", "'d", "'m"];

    public static string[] Tokenize(string text, TextTokenization tokenization, bool lowercase)
    {
        string source = lowercase ? text.ToLowerInvariant() : text;
        if (tokenization == TextTokenization.Whitespace)
        {
            return source.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }

        source = source.Replace('\u2019', '\'').Replace('\u2018', '\'');
        var tokens = new List<string>();
        foreach (Match match in TokenPattern().Matches(source))
        {
            string token = match.Value;
            if (token.Length > 3 && token.EndsWith("n't", StringComparison.OrdinalIgnoreCase))
            {
                tokens.Add(token[..^3]);
                tokens.Add(token[^3..]);
                continue;
            }

            string? clitic = token.Length > 2 && token[0] != '\''
                ? Clitics.FirstOrDefault(c => token.Length > c.Length && token.EndsWith(c, StringComparison.OrdinalIgnoreCase))
                : null;
            if (clitic is not null)
            {
                tokens.Add(token[..^clitic.Length]);
                tokens.Add(token[^clitic.Length..]);
                continue;
            }

            tokens.Add(token);
        }

        return tokens.ToArray();
    }

    // A clitic on its own ('s, n't as in already tokenised text), a word with inner hyphens/apostrophes, an ellipsis,
    // or one other non-space character.
    [GeneratedRegex(@"'(?:s|re|ve|ll|d|m)\b|[\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*|\.\.\.|[^\s\p{L}\p{N}]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
