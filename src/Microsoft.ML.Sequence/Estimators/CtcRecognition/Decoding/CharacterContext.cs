namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>What follows one history in training: the symbols seen after it (ascending) and their counts, raw or (for
/// the lower orders of Kneser–Ney) continuation counts.</summary>
internal sealed class CharacterContext
{
    public CharacterContext(int[] successors, long[] counts)
    {
        Successors = successors;
        Counts = counts;
        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        Total = total;
    }

    /// <summary>Predicted-symbol indices, ascending, each once.</summary>
    public int[] Successors { get; }

    /// <summary>The count of each successor, each at least 1.</summary>
    public long[] Counts { get; }

    /// <summary>The sum of <see cref="Counts"/>.</summary>
    public long Total { get; }

    /// <summary>The count of <paramref name="symbol"/> after this history (0 when never seen).</summary>
    public long CountOf(int symbol)
    {
        int at = Array.BinarySearch(Successors, symbol);
        return at >= 0 ? Counts[at] : 0;
    }
}
