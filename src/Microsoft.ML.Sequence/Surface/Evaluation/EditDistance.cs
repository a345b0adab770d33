using System.Buffers;

namespace Microsoft.ML.Sequence;

/// <summary>Levenshtein distance: the least number of single-item substitutions, deletions and insertions that turn
/// one sequence into another (each costs 1).</summary>
internal static class EditDistance
{
    /// <summary>The distance between <paramref name="reference"/> and <paramref name="hypothesis"/>.</summary>
    public static int Levenshtein<T>(ReadOnlySpan<T> reference, ReadOnlySpan<T> hypothesis)
        where T : IEquatable<T>
    {
        // Common prefix and suffix cost nothing; trimming them makes equal or nearly equal lines (the usual case when
        // a recogniser is good) linear instead of quadratic.
        int prefix = reference.CommonPrefixLength(hypothesis);
        reference = reference[prefix..];
        hypothesis = hypothesis[prefix..];
        int suffix = 0;
        while (suffix < reference.Length && suffix < hypothesis.Length
            && reference[^(suffix + 1)].Equals(hypothesis[^(suffix + 1)]))
        {
            suffix++;
        }

        reference = reference[..^suffix];
        hypothesis = hypothesis[..^suffix];
        if (reference.IsEmpty || hypothesis.IsEmpty)
        {
            return reference.Length + hypothesis.Length;
        }

        // One row of the dynamic programme over the hypothesis: row[j] = distance(reference[..i], hypothesis[..j]).
        int[] rented = ArrayPool<int>.Shared.Rent(hypothesis.Length + 1);
        try
        {
            Span<int> row = rented.AsSpan(0, hypothesis.Length + 1);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = j;
            }

            for (int i = 1; i <= reference.Length; i++)
            {
                int diagonal = row[0];
                row[0] = i;
                T item = reference[i - 1];
                for (int j = 1; j < row.Length; j++)
                {
                    int above = row[j];
                    int substitution = diagonal + (item.Equals(hypothesis[j - 1]) ? 0 : 1);
                    row[j] = Math.Min(substitution, Math.Min(above, row[j - 1]) + 1);
                    diagonal = above;
                }
            }

            return row[^1];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }
}
