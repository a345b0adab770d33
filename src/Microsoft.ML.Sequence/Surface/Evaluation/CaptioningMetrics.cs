using System.Globalization;
using System.Text;

namespace Microsoft.ML.Sequence;

/// <summary>Captioning quality, as returned by <c>mlContext.Sequence.EvaluateCaptioning</c>: corpus-level BLEU-1 … BLEU-4
/// (Papineni et al., 2002) of the predicted captions against every reference caption of their image.</summary>
/// <remarks>
/// <para>For n = 1 … 4 the modified precision p_n is Σ clipped n-gram matches / Σ candidate n-grams over the whole
/// corpus, where each candidate n-gram counts at most as many times as it occurs in a single reference (the maximum over
/// that image's references). The brevity penalty is BP = 1 when the candidates' total length c exceeds r, the sum of each
/// candidate's closest reference length, else exp(1 − r / c). BLEU-N = BP · exp((1/N) Σ_{n≤N} log p_n): the geometric
/// mean of p_1 … p_N with uniform weights, 0 when any p_n is 0 (no smoothing). Every figure is in [0, 1]; higher is
/// better.</para>
/// <para>Tokens: captions are lowercased and split into words as the captioner's training captions are (words,
/// punctuation marks as tokens of their own).</para>
/// </remarks>
public sealed class CaptioningMetrics
{
    private readonly long[] _matches;
    private readonly long[] _totals;

    /// <summary>Creates the metrics from corpus counts.</summary>
    /// <param name="sentenceCount">Candidates (rows) evaluated, at least 0.</param>
    /// <param name="candidateLength">Total tokens of the candidates, at least 0.</param>
    /// <param name="referenceLength">Sum over candidates of the closest reference's length, at least 0.</param>
    /// <param name="matches">Clipped n-gram matches for n = 1, 2, …; at least 4 orders.</param>
    /// <param name="totals">Candidate n-grams for n = 1, 2, … (as many as <paramref name="matches"/>), each at least the
    /// matching entry of <paramref name="matches"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or a match count exceeds its total.</exception>
    /// <exception cref="ArgumentException">Fewer than 4 orders, or the two lists differ in length.</exception>
    public CaptioningMetrics(long sentenceCount, long candidateLength, long referenceLength, IReadOnlyList<long> matches, IReadOnlyList<long> totals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sentenceCount);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateLength);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceLength);
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(totals);
        if (matches.Count < 4 || matches.Count != totals.Count)
        {
            throw new ArgumentException($"Need the same number (at least 4) of match and total counts; got {matches.Count} and {totals.Count}.", nameof(totals));
        }

        for (int i = 0; i < matches.Count; i++)
        {
            if (matches[i] < 0 || totals[i] < matches[i])
            {
                throw new ArgumentOutOfRangeException(nameof(matches), matches[i], $"Order {i + 1}: {matches[i]} matches of {totals[i]} n-grams.");
            }
        }

        SentenceCount = sentenceCount;
        CandidateLength = candidateLength;
        ReferenceLength = referenceLength;
        _matches = matches.ToArray();
        _totals = totals.ToArray();
        Precisions = Enumerable.Range(0, _matches.Length).Select(i => _totals[i] == 0 ? 0.0 : (double)_matches[i] / _totals[i]).ToArray();
        BrevityPenalty = candidateLength == 0 ? 0 : candidateLength > referenceLength ? 1 : Math.Exp(1 - (double)referenceLength / candidateLength);
    }

    /// <summary>Candidates (rows) evaluated.</summary>
    public long SentenceCount { get; }

    /// <summary>c: total tokens of the predicted captions.</summary>
    public long CandidateLength { get; }

    /// <summary>r: sum over the candidates of the length of the reference closest in length (the shorter on a tie).</summary>
    public long ReferenceLength { get; }

    /// <summary>Modified n-gram precisions p_1, p_2, … in [0, 1] (0 when the candidates have no n-gram of that order).</summary>
    public IReadOnlyList<double> Precisions { get; }

    /// <summary>BP = 1 if c &gt; r, else exp(1 − r/c); 0 when there are no candidate tokens. In [0, 1].</summary>
    public double BrevityPenalty { get; }

    /// <summary>BLEU-1 = BP · p_1. In [0, 1]; higher is better.</summary>
    public double Bleu1 => Bleu(1);

    /// <summary>BLEU-2 = BP · (p_1 p_2)^(1/2). In [0, 1]; higher is better.</summary>
    public double Bleu2 => Bleu(2);

    /// <summary>BLEU-3 = BP · (p_1 p_2 p_3)^(1/3). In [0, 1]; higher is better.</summary>
    public double Bleu3 => Bleu(3);

    /// <summary>BLEU-4 = BP · (p_1 p_2 p_3 p_4)^(1/4), the usual headline figure. In [0, 1]; higher is better.</summary>
    public double Bleu4 => Bleu(4);

    /// <summary>Clipped matches of n-grams of order <paramref name="order"/>.</summary>
    /// <param name="order">n, from 1.</param>
    /// <returns>The count.</returns>
    public long MatchCount(int order) => _matches[CheckOrder(order)];

    /// <summary>Candidate n-grams of order <paramref name="order"/>.</summary>
    /// <param name="order">n, from 1.</param>
    /// <returns>The count.</returns>
    public long TotalCount(int order) => _totals[CheckOrder(order)];

    /// <summary>BLEU-N with uniform weights over orders 1 … <paramref name="maxOrder"/>.</summary>
    /// <param name="maxOrder">N, from 1 to the number of orders counted (4).</param>
    /// <returns>The score in [0, 1].</returns>
    public double Bleu(int maxOrder)
    {
        CheckOrder(maxOrder);
        double logSum = 0;
        for (int i = 0; i < maxOrder; i++)
        {
            if (Precisions[i] <= 0)
            {
                return 0;
            }

            logSum += Math.Log(Precisions[i]);
        }

        return BrevityPenalty * Math.Exp(logSum / maxOrder);
    }

    /// <summary>A small table: BLEU-1 … 4, the precisions, the brevity penalty and lengths.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"captions {SentenceCount}, candidate length {CandidateLength}, reference length {ReferenceLength}, BP {BrevityPenalty:0.0000}");
        for (int n = 1; n <= 4; n++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"BLEU-{n} {Bleu(n):0.0000}   p{n} {Precisions[n - 1]:0.0000} ({_matches[n - 1]}/{_totals[n - 1]})");
        }

        return text.ToString();
    }

    private int CheckOrder(int order)
    {
        if (order < 1 || order > _matches.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"The order must be from 1 to {_matches.Length}.");
        }

        return order - 1;
    }
}
