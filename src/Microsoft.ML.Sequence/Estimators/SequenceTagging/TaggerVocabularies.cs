using System.Globalization;
using System.Text;
using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>One sentence as the network sees it: word keys, character keys per word, gold tag classes (−100 where
/// unknown or absent) and the count of out-of-vocabulary words.</summary>
internal sealed record EncodedSentence(long[] Words, long[][] Characters, long[]? Tags, int OutOfVocabulary)
{
    public int Length => Words.Length;
}

/// <summary>The word, character and tag vocabularies of a tagger, and the encoding of sentences with them.</summary>
/// <remarks>Words and characters have PAD (key 0) and UNK, ordered by descending training frequency, ties in ordinal
/// order. Tags are the label column's key values in key order, with no special entries, so tag key k is class k − 1 of
/// the output layer.</remarks>
internal sealed class TaggerVocabularies
{
    /// <summary>Gold tag class of a token whose tag is absent from the tag vocabulary, ignored by the losses.</summary>
    public const long IgnoredTag = -100;

    public TaggerVocabularies(Vocabulary words, Vocabulary characters, Vocabulary tags, bool lowercaseWords, int maxWordCharacters)
    {
        Words = words;
        Characters = characters;
        Tags = tags;
        LowercaseWords = lowercaseWords;
        MaxWordCharacters = maxWordCharacters;
    }

    public Vocabulary Words { get; }

    public Vocabulary Characters { get; }

    public Vocabulary Tags { get; }

    public bool LowercaseWords { get; }

    public int MaxWordCharacters { get; }

    public int TagCount => (int)Tags.Count;

    /// <summary>Builds the word and character vocabularies from training sentences; <paramref name="tags"/> are the
    /// label's key values.</summary>
    public static TaggerVocabularies Build(IReadOnlyList<string[]> tokens, Vocabulary tags, RecurrentSequenceTaggerOptions options)
    {
        var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var characterCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string[] sentence in tokens)
        {
            foreach (string token in sentence)
            {
                Increment(wordCounts, NormalizeWord(token, options.LowercaseWords));
                foreach (Rune rune in token.EnumerateRunes())
                {
                    Increment(characterCounts, rune.ToString());
                }
            }
        }

        return new TaggerVocabularies(
            new Vocabulary(ByFrequency(wordCounts, options.MinWordCount), SpecialTokens.Pad | SpecialTokens.Unknown),
            new Vocabulary(ByFrequency(characterCounts, 1), SpecialTokens.Pad | SpecialTokens.Unknown),
            tags,
            options.LowercaseWords,
            options.MaxWordCharacters);
    }

    public static string NormalizeWord(string token, bool lowercase) => lowercase ? token.ToLower(CultureInfo.InvariantCulture) : token;

    /// <summary>Encodes one sentence; <paramref name="tagClasses"/> (0-based, <see cref="IgnoredTag"/> where unknown)
    /// null encodes no gold tags.</summary>
    public EncodedSentence Encode(string[] tokens, long[]? tagClasses)
    {
        var words = new long[tokens.Length];
        var characters = new long[tokens.Length][];
        int outOfVocabulary = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i] ?? string.Empty;
            if (!Words.TryGetKey(NormalizeWord(token, LowercaseWords), out words[i]) || words[i] == 0)
            {
                words[i] = Words.UnknownKey;
                outOfVocabulary++;
            }

            characters[i] = EncodeCharacters(token);
        }

        return new EncodedSentence(words, characters, tagClasses, outOfVocabulary);
    }

    public string TagName(long tagClass) => Tags.GetValue(tagClass + 1);

    private long[] EncodeCharacters(string token)
    {
        var keys = new List<long>(token.Length);
        foreach (Rune rune in token.EnumerateRunes())
        {
            keys.Add(Characters.GetKey(rune.ToString()));
        }

        if (keys.Count == 0)
        {
            // An empty token still needs one character step: it reads as a single UNK.
            return [Characters.UnknownKey];
        }

        if (keys.Count <= MaxWordCharacters)
        {
            return keys.ToArray();
        }

        int head = (MaxWordCharacters + 1) / 2, tail = MaxWordCharacters - head;
        return keys.Take(head).Concat(keys.Skip(keys.Count - tail)).ToArray();
    }

    private static void Increment(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.TryGetValue(key, out int count) ? count + 1 : 1;

    private static IEnumerable<string> ByFrequency(Dictionary<string, int> counts, int minCount) =>
        counts.Where(p => p.Value >= minCount && p.Key is not (Vocabulary.PadToken or Vocabulary.UnknownToken))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key);
}
