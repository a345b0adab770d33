namespace Microsoft.ML.Sequence;

/// <summary>Accumulates the corpus-level counts of BLEU (Papineni et al., 2002) one candidate at a time: for n = 1 … N,
/// clipped n-gram matches and candidate n-grams; the candidate length; and the length of the reference closest to it.</summary>
/// <remarks>Clipping: an n-gram of the candidate counts at most as often as it occurs in any single reference (the
/// maximum over the references). The effective reference length of a candidate is the reference length closest to the
/// candidate's length, the shorter one on a tie (as in the paper's "best match length" and NIST's mteval).</remarks>
internal sealed class BleuCounter
{
    private readonly long[] _matches;
    private readonly long[] _totals;

    public BleuCounter(int maxOrder = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        _matches = new long[maxOrder];
        _totals = new long[maxOrder];
    }

    public int MaxOrder => _matches.Length;

    public long SentenceCount { get; private set; }

    public long CandidateLength { get; private set; }

    public long ReferenceLength { get; private set; }

    /// <summary>Adds one candidate with its references (tokens already split).</summary>
    /// <exception cref="ArgumentException">There is no reference.</exception>
    public void Add(IReadOnlyList<string> candidate, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("A candidate needs at least one reference.", nameof(references));
        }

        for (int n = 1; n <= MaxOrder; n++)
        {
            Dictionary<string, int> counts = NGrams(candidate, n);
            var clip = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (IReadOnlyList<string> reference in references)
            {
                foreach ((string gram, int count) in NGrams(reference, n))
                {
                    clip[gram] = Math.Max(count, clip.GetValueOrDefault(gram));
                }
            }

            foreach ((string gram, int count) in counts)
            {
                _matches[n - 1] += Math.Min(count, clip.GetValueOrDefault(gram));
                _totals[n - 1] += count;
            }
        }

        int length = candidate.Count;
        int closest = references[0].Count;
        foreach (IReadOnlyList<string> reference in references)
        {
            int distance = Math.Abs(reference.Count - length), best = Math.Abs(closest - length);
            if (distance < best || (distance == best && reference.Count < closest))
            {
                closest = reference.Count;
            }
        }

        CandidateLength += length;
        ReferenceLength += closest;
        SentenceCount++;
    }

    /// <summary>The metrics of everything added so far.</summary>
    public CaptioningMetrics ToMetrics() => new(SentenceCount, CandidateLength, ReferenceLength, _matches, _totals);

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            // U+0001 never occurs inside a token of ours, so joined n-grams cannot collide.
            string gram = n == 1 ? tokens[i] : string.Join('\u0001', Enumerable.Range(i, n).Select(j => tokens[j]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
