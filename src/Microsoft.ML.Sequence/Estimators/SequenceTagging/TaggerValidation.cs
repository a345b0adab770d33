using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The figures a tagger's validation pass reports after each epoch: mean loss, token accuracy and span F1 by
/// the conlleval rules (<see cref="ConllSpanCounter"/>).</summary>
internal static class TaggerValidation
{
    /// <summary>Scores predicted tag classes against the gold ones.</summary>
    /// <param name="sentences">The validation sentences, with gold classes (<see cref="TaggerVocabularies.IgnoredTag"/>
    /// where the gold tag was missing).</param>
    /// <param name="predicted">The predicted classes of each sentence.</param>
    /// <param name="vocabularies">The tag names.</param>
    /// <param name="loss">The mean validation loss.</param>
    /// <returns>Loss, token accuracy and span F1.</returns>
    /// <remarks>A missing gold tag counts as a wrong token and, for spans, as <c>O</c> (its text is unknown).</remarks>
    public static ValidationResult Score(IReadOnlyList<EncodedSentence> sentences, IReadOnlyList<long[]> predicted,
        TaggerVocabularies vocabularies, double loss)
    {
        long tokens = 0, correct = 0;
        var pairs = new List<(IReadOnlyList<string> Gold, IReadOnlyList<string> Predicted)>(sentences.Count);
        for (int s = 0; s < sentences.Count; s++)
        {
            long[] gold = sentences[s].Tags!;
            long[] guess = predicted[s];
            for (int t = 0; t < gold.Length; t++)
            {
                tokens++;
                correct += gold[t] >= 0 && gold[t] == guess[t] ? 1 : 0;
            }

            pairs.Add((gold.Select(g => g >= 0 ? vocabularies.TagName(g) : "O").ToArray(), guess.Select(vocabularies.TagName).ToArray()));
        }

        SequenceTaggingMetrics spans = ConllSpanCounter.Score(pairs);
        return new ValidationResult(loss, tokens == 0 ? 0 : (double)correct / tokens, spans.F1Score);
    }
}
