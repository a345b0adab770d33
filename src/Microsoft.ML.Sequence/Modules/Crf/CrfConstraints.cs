namespace Microsoft.ML.Sequence.Modules.Crf;

/// <summary>Which transitions, first tags and last tags a <see cref="LinearChainCrf"/> allows; forbidden ones score −∞.</summary>
public sealed class CrfConstraints
{
    private readonly bool[,] _transitions;
    private readonly bool[] _start;
    private readonly bool[] _end;

    private CrfConstraints(bool[,] transitions, bool[] start, bool[] end)
    {
        _transitions = transitions;
        _start = start;
        _end = end;
    }

    /// <summary>Number of tags.</summary>
    public int TagCount => _start.Length;

    /// <summary>Whether tag <paramref name="to"/> may follow tag <paramref name="from"/>.</summary>
    /// <param name="from">Previous tag index.</param>
    /// <param name="to">Next tag index.</param>
    /// <returns>True when allowed.</returns>
    public bool IsAllowed(int from, int to) => _transitions[from, to];

    /// <summary>Whether a sequence may start with <paramref name="tag"/>.</summary>
    /// <param name="tag">Tag index.</param>
    /// <returns>True when allowed.</returns>
    public bool IsAllowedStart(int tag) => _start[tag];

    /// <summary>Whether a sequence may end with <paramref name="tag"/>.</summary>
    /// <param name="tag">Tag index.</param>
    /// <returns>True when allowed.</returns>
    public bool IsAllowedEnd(int tag) => _end[tag];

    /// <summary>Everything allowed.</summary>
    /// <param name="tagCount">Number of tags.</param>
    /// <returns>The constraints.</returns>
    public static CrfConstraints None(int tagCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagCount, 1);
        var transitions = new bool[tagCount, tagCount];
        for (int i = 0; i < tagCount; i++)
        {
            for (int j = 0; j < tagCount; j++)
            {
                transitions[i, j] = true;
            }
        }

        return new CrfConstraints(transitions, Enumerable.Repeat(true, tagCount).ToArray(), Enumerable.Repeat(true, tagCount).ToArray());
    }

    /// <summary>The constraints of <paramref name="scheme"/> for tags named like <c>O</c>, <c>B-PER</c>, <c>I-PER</c>
    /// (and <c>E-PER</c>, <c>S-PER</c> for BIOES).</summary>
    /// <param name="tags">Tag names by index.</param>
    /// <param name="scheme">Tag scheme.</param>
    /// <returns>The constraints.</returns>
    /// <exception cref="ArgumentException">A tag does not fit the scheme; the message names it.</exception>
    public static CrfConstraints For(IReadOnlyList<string> tags, TagScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (scheme == TagScheme.None)
        {
            return None(tags.Count);
        }

        string allowedPrefixes = scheme == TagScheme.Bio ? "BI" : "BIES";
        var parsed = tags.Select(tag => Parse(tag, allowedPrefixes, scheme)).ToArray();
        int k = tags.Count;
        var transitions = new bool[k, k];
        var start = new bool[k];
        var end = new bool[k];
        for (int j = 0; j < k; j++)
        {
            (char toPrefix, string toType) = parsed[j];
            start[j] = toPrefix is 'O' or 'B' or 'S';
            end[j] = scheme == TagScheme.Bio || toPrefix is 'O' or 'E' or 'S';
            for (int i = 0; i < k; i++)
            {
                (char fromPrefix, string fromType) = parsed[i];
                bool insideSpan = fromPrefix is 'B' or 'I' && scheme == TagScheme.Bioes;
                bool continues = toPrefix is 'I' or 'E';
                transitions[i, j] = scheme == TagScheme.Bio
                    ? toPrefix != 'I' || (fromPrefix is 'B' or 'I' && fromType == toType)
                    : insideSpan ? continues && fromType == toType : !continues;
            }
        }

        return new CrfConstraints(transitions, start, end);
    }

    private static (char Prefix, string Type) Parse(string tag, string allowedPrefixes, TagScheme scheme)
    {
        if (tag == "O")
        {
            return ('O', string.Empty);
        }

        if (tag.Length >= 3 && tag[1] == '-' && allowedPrefixes.Contains(tag[0]))
        {
            return (tag[0], tag[2..]);
        }

        throw new ArgumentException(
            $"Tag '{tag}' does not fit the {scheme} scheme: expected 'O' or one of {string.Join(", ", allowedPrefixes.Select(p => p + "-TYPE"))}.",
            nameof(tag));
    }
}
