namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Per-position patterns to search hidden units for (<see cref="HiddenUnitActivations.MostCorrelatedUnits"/>):
/// the classic "inside quotes" and "position in the line" detectors.</summary>
public static class TextPatterns
{
    /// <summary>1 for tokens inside double quotes (between an opening and a closing quote token, or a token that is only
    /// quote characters), 0 elsewhere; the quote tokens themselves count as inside.</summary>
    /// <param name="tokens">The tokens (or characters) of a text.</param>
    /// <returns>One value per token.</returns>
    public static double[] InsideQuotes(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var pattern = new double[tokens.Count];
        bool inside = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            bool quote = IsQuote(tokens[i]);
            if (quote && !inside)
            {
                inside = true;
                pattern[i] = 1;
                continue;
            }

            pattern[i] = inside ? 1 : 0;
            if (quote)
            {
                inside = false;
            }
        }

        return pattern;
    }

    /// <summary>The relative position of each token in its line: 0 at a line's first token rising to 1 at its last
    /// (lines end at tokens that are a line break).</summary>
    /// <param name="tokens">The tokens (or characters) of a text.</param>
    /// <returns>One value per token.</returns>
    public static double[] LinePosition(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var pattern = new double[tokens.Count];
        int start = 0;
        for (int i = 0; i <= tokens.Count; i++)
        {
            if (i == tokens.Count || tokens[i] == "\n")
            {
                int length = i - start;
                for (int j = start; j < i; j++)
                {
                    pattern[j] = length <= 1 ? 0 : (double)(j - start) / (length - 1);
                }

                start = i + 1;
            }
        }

        return pattern;
    }

    private static bool IsQuote(string token) =>
        token.Length > 0 && token.All(c => c is '"' or '\u201C' or '\u201D' or '`' or '\'') && (token.Contains('"') || token.Length == 2 || token.Contains('\u201C') || token.Contains('\u201D'));
}
