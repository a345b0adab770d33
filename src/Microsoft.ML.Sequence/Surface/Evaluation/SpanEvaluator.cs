namespace Microsoft.ML.Sequence;

/// <summary>Scores predicted tag sequences against gold ones the way the CoNLL script conlleval does: a predicted span
/// counts only when its start, end and type all equal a gold span's; token accuracy counts equal tags.</summary>
/// <remarks>Spans follow conlleval's boundary rules for BIO, BIOES and IO tags (<c>B-PER</c>, <c>I-PER</c>,
/// <c>E-PER</c>, <c>S-PER</c>, <c>O</c>). As in conlleval, an I- tag after O (or after another type) starts a new
/// span, so a span that a prediction begins with I- still has to match a gold span exactly to count.</remarks>
internal static class SpanEvaluator
{
    /// <summary>Scores a set of sentences.</summary>
    /// <param name="sentences">Gold and predicted tags of each sentence, of equal length.</param>
    /// <returns>Token accuracy and span counts per span type (precision, recall and F1 follow from them).</returns>
    /// <exception cref="ArgumentException">A sentence's two tag sequences differ in length (sentence index named).</exception>
    public static SpanCounts Evaluate(IEnumerable<(IReadOnlyList<string> Gold, IReadOnlyList<string> Predicted)> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // type → [gold, predicted, correct]
        long tokens = 0, correctTags = 0;
        int index = 0;
        foreach ((IReadOnlyList<string> gold, IReadOnlyList<string> predicted) in sentences)
        {
            if (gold.Count != predicted.Count)
            {
                throw new ArgumentException(
                    $"Sentence {index} has {gold.Count} gold tags but {predicted.Count} predicted tags.", nameof(sentences));
            }

            for (int t = 0; t < gold.Count; t++)
            {
                tokens++;
                correctTags += gold[t] == predicted[t] ? 1 : 0;
            }

            ScoreSentence(gold, predicted, counts);
            index++;
        }

        string[] types = counts.Keys.ToArray();
        return new SpanCounts(
            tokens == 0 ? 0 : (double)correctTags / tokens,
            types,
            types.Select(t => counts[t][0]).ToArray(),
            types.Select(t => counts[t][1]).ToArray(),
            types.Select(t => counts[t][2]).ToArray());
    }

    private static void ScoreSentence(IReadOnlyList<string> gold, IReadOnlyList<string> predicted,
        SortedDictionary<string, int[]> counts)
    {
        string lastGold = "O", lastGoldType = "", lastPredicted = "O", lastPredictedType = "";
        bool inCorrect = false;
        // One extra step with O on both sides closes the spans still open at the sentence end, as conlleval's
        // sentence boundary does.
        for (int t = 0; t <= gold.Count; t++)
        {
            (string g, string gType) = t < gold.Count ? ConllChunker.Split(gold[t]) : ("O", "");
            (string p, string pType) = t < gold.Count ? ConllChunker.Split(predicted[t]) : ("O", "");
            bool endGold = ConllChunker.EndsChunk(lastGold, g, lastGoldType, gType);
            bool endPredicted = ConllChunker.EndsChunk(lastPredicted, p, lastPredictedType, pType);
            bool startGold = ConllChunker.StartsChunk(lastGold, g, lastGoldType, gType);
            bool startPredicted = ConllChunker.StartsChunk(lastPredicted, p, lastPredictedType, pType);
            if (inCorrect)
            {
                if (endGold && endPredicted && lastPredictedType == lastGoldType)
                {
                    inCorrect = false;
                    Count(counts, lastGoldType)[2]++;
                }
                else if (endGold != endPredicted || pType != gType)
                {
                    inCorrect = false;
                }
            }

            if (startGold && startPredicted && pType == gType)
            {
                inCorrect = true;
            }

            if (startGold)
            {
                Count(counts, gType)[0]++;
            }

            if (startPredicted)
            {
                Count(counts, pType)[1]++;
            }

            (lastGold, lastGoldType, lastPredicted, lastPredictedType) = (g, gType, p, pType);
        }
    }

    private static int[] Count(SortedDictionary<string, int[]> counts, string type)
    {
        if (!counts.TryGetValue(type, out int[]? row))
        {
            counts[type] = row = new int[3];
        }

        return row;
    }
}
