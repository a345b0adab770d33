namespace Microsoft.ML.Sequence;

/// <summary>Accumulates, sentence by sentence, the counts behind <see cref="SequenceTaggingMetrics"/>: tokens, correct
/// tokens, and per span type the gold, predicted and correct spans by conlleval's rules (<see cref="ConllChunker"/>).</summary>
/// <remarks>A predicted span is correct when its start, end and type all equal a gold span's. As in conlleval, an I- tag
/// after O (or after another type) starts a new span, and a sentence end closes every open span.</remarks>
internal sealed class ConllSpanCounter
{
    private readonly SortedDictionary<string, int[]> _counts = new(StringComparer.Ordinal); // type → [gold, predicted, correct]
    private long _sentences;
    private long _tokens;
    private long _correctTokens;

    /// <summary>Adds one sentence; both lists have one tag per token (the caller checks the lengths).</summary>
    /// <param name="gold">Gold tags.</param>
    /// <param name="predicted">Predicted tags.</param>
    public void AddSentence(IReadOnlyList<ConllTag> gold, IReadOnlyList<ConllTag> predicted)
    {
        _sentences++;
        ConllTag lastGold = ConllTag.Outside, lastPredicted = ConllTag.Outside;
        bool inCorrect = false;
        // One extra step with O on both sides closes the spans still open at the sentence end, as conlleval's
        // sentence boundary does.
        for (int t = 0; t <= gold.Count; t++)
        {
            ConllTag g = t < gold.Count ? gold[t] : ConllTag.Outside;
            ConllTag p = t < gold.Count ? predicted[t] : ConllTag.Outside;
            if (t < gold.Count)
            {
                _tokens++;
                _correctTokens += g.Text == p.Text ? 1 : 0;
            }

            bool endGold = ConllChunker.EndsChunk(lastGold.Prefix, g.Prefix, lastGold.Type, g.Type);
            bool endPredicted = ConllChunker.EndsChunk(lastPredicted.Prefix, p.Prefix, lastPredicted.Type, p.Type);
            bool startGold = ConllChunker.StartsChunk(lastGold.Prefix, g.Prefix, lastGold.Type, g.Type);
            bool startPredicted = ConllChunker.StartsChunk(lastPredicted.Prefix, p.Prefix, lastPredicted.Type, p.Type);
            if (inCorrect)
            {
                if (endGold && endPredicted && lastPredicted.Type == lastGold.Type)
                {
                    inCorrect = false;
                    Count(lastGold.Type)[2]++;
                }
                else if (endGold != endPredicted || p.Type != g.Type)
                {
                    inCorrect = false;
                }
            }

            if (startGold && startPredicted && p.Type == g.Type)
            {
                inCorrect = true;
            }

            if (startGold)
            {
                Count(g.Type)[0]++;
            }

            if (startPredicted)
            {
                Count(p.Type)[1]++;
            }

            (lastGold, lastPredicted) = (g, p);
        }
    }

    /// <summary>The metrics of everything added so far.</summary>
    /// <returns>The metrics object.</returns>
    /// <summary>Scores whole sentences of tag strings (a tagger's validation pass).</summary>
    /// <param name="sentences">Gold and predicted tags of each sentence, of equal lengths.</param>
    /// <param name="format">How tags are read. Default: <see cref="SpanTagFormat.Prefixed"/>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A sentence's gold and predicted tags differ in length.</exception>
    public static SequenceTaggingMetrics Score(IEnumerable<(IReadOnlyList<string> Gold, IReadOnlyList<string> Predicted)> sentences,
        SpanTagFormat format = SpanTagFormat.Prefixed)
    {
        var counter = new ConllSpanCounter();
        int index = 0;
        foreach ((IReadOnlyList<string> gold, IReadOnlyList<string> predicted) in sentences)
        {
            if (gold.Count != predicted.Count)
            {
                throw new ArgumentException($"Sentence {index} has {gold.Count} gold tags but {predicted.Count} predicted tags.", nameof(sentences));
            }

            counter.AddSentence(gold.Select(t => ConllTag.Parse(t, format)).ToArray(), predicted.Select(t => ConllTag.Parse(t, format)).ToArray());
            index++;
        }

        return counter.ToMetrics();
    }

    public SequenceTaggingMetrics ToMetrics() => new(_sentences, _tokens, _correctTokens,
        _counts.Select(entry => new SpanTypeMetrics(entry.Key, entry.Value[0], entry.Value[1], entry.Value[2])));

    private int[] Count(string type)
    {
        if (!_counts.TryGetValue(type, out int[]? row))
        {
            _counts[type] = row = new int[3];
        }

        return row;
    }
}
