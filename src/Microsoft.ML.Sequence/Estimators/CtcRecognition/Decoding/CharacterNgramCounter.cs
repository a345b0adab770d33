using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Counts the character n-grams of training lines and turns them into the per-order context tables a
/// <see cref="CharacterLanguageModel"/> reads.</summary>
/// <remarks>Symbols are written as <c>char</c>s holding their index (see <see cref="CharacterLanguageModel"/>): 0 is the
/// sentence start inside a history and the end of line as a prediction, 1 the unknown character, 2 + i the i-th
/// vocabulary character. A line of length L padded with n - 1 starts gives L + 1 n-grams (the last predicts the end).</remarks>
internal static class CharacterNgramCounter
{
    public const char Boundary = (char)0;
    public const char Unknown = (char)1;
    public const int FirstCharacter = 2;

    /// <summary>Counts every m-gram (m = 1 … <paramref name="order"/>) of the padded lines; index m - 1 holds the m-grams.</summary>
    public static Dictionary<string, long>[] Count(IReadOnlyList<string> lines, string characters, int order)
    {
        var counts = new Dictionary<string, long>[order];
        for (int m = 0; m < order; m++)
        {
            counts[m] = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        var lookups = counts.Select(c => c.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
        var padded = new List<char>();
        foreach (string line in lines)
        {
            padded.Clear();
            for (int i = 0; i < order - 1; i++)
            {
                padded.Add(Boundary);
            }

            foreach (char c in line)
            {
                padded.Add(Encode(characters, c));
            }

            padded.Add(Boundary);
            ReadOnlySpan<char> symbols = CollectionsMarshal.AsSpan(padded);
            for (int end = order - 1; end < symbols.Length; end++)
            {
                for (int m = 1; m <= order; m++)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(lookups[m - 1], symbols.Slice(end - m + 1, m), out _)++;
                }
            }
        }

        return counts;
    }

    /// <summary>The tables of <paramref name="smoothing"/>: index m - 1 maps each history of length m - 1 to what follows
    /// it. Add-k uses raw counts at every order; Kneser–Ney raw counts at the highest order and, below it, continuation
    /// counts N1+(• h c): the number of different symbols seen right before the m-gram h c.</summary>
    public static Dictionary<string, CharacterContext>[] Tables(Dictionary<string, long>[] counts, LanguageModelSmoothing smoothing)
    {
        int order = counts.Length;
        var tables = new Dictionary<string, CharacterContext>[order];
        for (int m = 1; m <= order; m++)
        {
            Dictionary<string, long> source = counts[m - 1];
            if (smoothing == LanguageModelSmoothing.KneserNey && m < order)
            {
                // Every m-gram below the highest order has a left neighbour (a start symbol at worst), so each distinct
                // (m + 1)-gram adds one to the continuation count of its last m symbols.
                source = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (string longer in counts[m].Keys)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(source, longer[1..], out _)++;
                }
            }

            tables[m - 1] = Group(source);
        }

        return tables;
    }

    /// <summary>The symbol of <paramref name="c"/>: its vocabulary index + 2, or <see cref="Unknown"/>.</summary>
    public static char Encode(string characters, char c)
    {
        int at = characters.AsSpan().BinarySearch(c);
        return at >= 0 ? (char)(at + FirstCharacter) : Unknown;
    }

    private static Dictionary<string, CharacterContext> Group(Dictionary<string, long> grams)
    {
        var byHistory = new Dictionary<string, List<(int Symbol, long Count)>>(StringComparer.Ordinal);
        foreach ((string gram, long count) in grams)
        {
            string history = gram[..^1];
            if (!byHistory.TryGetValue(history, out List<(int, long)>? successors))
            {
                successors = [];
                byHistory.Add(history, successors);
            }

            successors.Add((gram[^1], count));
        }

        var table = new Dictionary<string, CharacterContext>(byHistory.Count, StringComparer.Ordinal);
        foreach ((string history, List<(int Symbol, long Count)> successors) in byHistory)
        {
            successors.Sort((a, b) => a.Symbol.CompareTo(b.Symbol));
            table.Add(history, new CharacterContext(successors.Select(s => s.Symbol).ToArray(), successors.Select(s => s.Count).ToArray()));
        }

        return table;
    }
}
