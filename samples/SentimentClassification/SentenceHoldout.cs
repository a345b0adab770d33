namespace SentimentClassification;

/// <summary>
/// An honest validation part for SST-2 train, which is every phrase of every sentence's parse tree: a random 10% of
/// its rows is nearly all phrases that also occur, word for word, inside training phrases, so its accuracy rewards
/// memorising (it rises with every epoch and penalises regularisers). This split holds out whole sentences instead,
/// as SST-2 dev is: a sentence is a phrase that no longer phrase contains, a held-out sentence is a validation row,
/// and a phrase is kept for training only if some training sentence contains it (so none of a held-out sentence's
/// own sub-phrases is trained on, while a phrase such as "very good", found in training sentences too, stays).
/// </summary>
internal static class SentenceHoldout
{
    /// <summary>Splits SST-2 train rows: <paramref name="fraction"/> of its sentences (drawn with
    /// <paramref name="seed"/>) become validation rows; training gets the phrases some other sentence contains.</summary>
    public static (List<Review> Training, List<Review> Validation) Split(IReadOnlyList<Review> phrases, double fraction, int seed)
    {
        string[][] tokens = phrases.Select(p => p.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        string[] keys = tokens.Select(t => string.Join(' ', t)).ToArray();
        var known = new HashSet<string>(keys, StringComparer.Ordinal);
        var contained = new HashSet<string>(StringComparer.Ordinal);
        foreach (string[] phrase in tokens)
        {
            contained.UnionWith(ProperSubPhrases(phrase).Where(known.Contains));
        }

        int[] sentences = Enumerable.Range(0, phrases.Count).Where(r => !contained.Contains(keys[r])).ToArray();
        new Random(seed).Shuffle(sentences);
        var heldOut = new HashSet<int>(sentences.Take((int)Math.Round(fraction * sentences.Length)));
        var trainedOn = new HashSet<string>(StringComparer.Ordinal);
        foreach (int sentence in sentences.Where(s => !heldOut.Contains(s)))
        {
            trainedOn.Add(keys[sentence]);
            trainedOn.UnionWith(ProperSubPhrases(tokens[sentence]));
        }

        var training = new List<Review>();
        var validation = new List<Review>();
        for (int r = 0; r < phrases.Count; r++)
        {
            if (heldOut.Contains(r))
            {
                validation.Add(phrases[r]);
            }
            else if (trainedOn.Contains(keys[r]))
            {
                training.Add(phrases[r]);
            }
        }

        return (training, validation);
    }

    private static IEnumerable<string> ProperSubPhrases(string[] phrase)
    {
        for (int start = 0; start < phrase.Length; start++)
        {
            for (int end = start + 1; end <= phrase.Length; end++)
            {
                if (end - start < phrase.Length)
                {
                    yield return string.Join(' ', phrase, start, end - start);
                }
            }
        }
    }
}
