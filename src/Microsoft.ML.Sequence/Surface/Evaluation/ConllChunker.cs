namespace Microsoft.ML.Sequence;

/// <summary>The chunk boundary rules of the CoNLL shared-task script conlleval, for tags written <c>PREFIX-TYPE</c>
/// (B, I, E, S prefixes; <c>O</c> outside). A tag without a dash is its own prefix with an empty type.</summary>
internal static class ConllChunker
{
    public static (string Prefix, string Type) Split(string tag)
    {
        int dash = tag.IndexOf('-');
        return dash < 0 ? (tag, string.Empty) : (tag[..dash], tag[(dash + 1)..]);
    }

    /// <summary>Whether a chunk ended between the previous token and this one.</summary>
    public static bool EndsChunk(string previous, string current, string previousType, string currentType)
    {
        bool end = previous is "E" or "S";
        end |= previous is "B" or "I" && current is "B" or "S" or "O";
        end |= previous != "O" && previous != "." && previousType != currentType;
        return end;
    }

    /// <summary>Whether a chunk starts at this token.</summary>
    public static bool StartsChunk(string previous, string current, string previousType, string currentType)
    {
        bool start = current is "B" or "S";
        start |= previous is "E" or "S" or "O" && current is "E" or "I";
        start |= current != "O" && current != "." && previousType != currentType;
        return start;
    }
}
