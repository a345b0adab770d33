namespace QuickStart;

/// <summary>Token ids: 0 is PAD, 1 is UNK, then training tokens by first occurrence.</summary>
internal sealed class Vocabulary
{
    public const long Pad = 0, Unknown = 1;
    private readonly Dictionary<string, long> _ids = new();

    public Vocabulary(IEnumerable<string> trainingTokens)
    {
        foreach (string token in trainingTokens)
        {
            _ids.TryAdd(token, _ids.Count + 2);
        }
    }

    public long Count => _ids.Count + 2;

    public long[] Encode(string text)
    {
        long[] ids = SentenceData.Tokenize(text).Select(t => _ids.TryGetValue(t, out long id) ? id : Unknown).ToArray();
        return ids.Length > 0 ? ids : [Unknown];
    }
}
