namespace Microsoft.ML.Sequence.Data;

/// <summary>An immutable mapping between text values and keys (1-based; 0 is PAD and missing).</summary>
/// <remarks>
/// Key <c>k</c> is embedding row <c>k</c>; row 0 is PAD. Special entries (<see cref="SpecialTokens"/>) come first,
/// in the order Unknown, Start, End, Blank, then the ordinary values in the order given. A value not in the
/// vocabulary maps to <see cref="UnknownKey"/> when the vocabulary has an UNK entry, otherwise to 0.
/// </remarks>
public sealed class Vocabulary
{
    /// <summary>Text of key 0 when <see cref="SpecialTokens.Pad"/> is set.</summary>
    public const string PadToken = "<pad>";

    /// <summary>Text of the UNK entry.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>Text of the start-of-sequence entry.</summary>
    public const string StartToken = "<s>";

    /// <summary>Text of the end-of-sequence entry.</summary>
    public const string EndToken = "</s>";

    /// <summary>Text of the CTC blank entry.</summary>
    public const string BlankToken = "<blank>";

    private readonly string[] _values;
    private readonly Dictionary<string, long> _keys;

    /// <summary>A vocabulary with the given special entries followed by <paramref name="values"/>.</summary>
    /// <param name="values">Ordinary values in key order; duplicates and special-token texts are rejected.</param>
    /// <param name="specialTokens">Special entries to include. Default: <see cref="SpecialTokens.None"/>.</param>
    /// <exception cref="ArgumentException">A value is null, repeated, or equal to a special token's text.</exception>
    public Vocabulary(IEnumerable<string> values, SpecialTokens specialTokens = SpecialTokens.None)
    {
        ArgumentNullException.ThrowIfNull(values);
        SpecialTokens = specialTokens;
        var all = new List<string>();
        if (specialTokens.HasFlag(SpecialTokens.Unknown)) all.Add(UnknownToken);
        if (specialTokens.HasFlag(SpecialTokens.Start)) all.Add(StartToken);
        if (specialTokens.HasFlag(SpecialTokens.End)) all.Add(EndToken);
        if (specialTokens.HasFlag(SpecialTokens.Blank)) all.Add(BlankToken);
        int specialCount = all.Count;
        all.AddRange(values);
        _values = all.ToArray();
        _keys = new Dictionary<string, long>(_values.Length, StringComparer.Ordinal);
        if (specialTokens.HasFlag(SpecialTokens.Pad))
        {
            _keys.Add(PadToken, 0);
        }

        for (int i = 0; i < _values.Length; i++)
        {
            string value = _values[i] ?? throw new ArgumentException($"Vocabulary entry {i} is null.", nameof(values));
            if (!_keys.TryAdd(value, i + 1))
            {
                throw new ArgumentException(
                    $"Vocabulary value '{value}' appears twice (or is a special token's text).", nameof(values));
            }
        }

        UnknownKey = specialTokens.HasFlag(SpecialTokens.Unknown) ? _keys[UnknownToken] : 0;
        StartKey = specialTokens.HasFlag(SpecialTokens.Start) ? _keys[StartToken] : 0;
        EndKey = specialTokens.HasFlag(SpecialTokens.End) ? _keys[EndToken] : 0;
        BlankKey = specialTokens.HasFlag(SpecialTokens.Blank) ? _keys[BlankToken] : 0;
        SpecialCount = specialCount;
    }

    /// <summary>Number of keys (the largest key), special entries included, PAD excluded.</summary>
    public long Count => _values.Length;

    /// <summary>Number of embedding rows a model needs: <see cref="Count"/> + 1 (row 0 is PAD).</summary>
    public long EmbeddingRows => _values.Length + 1L;

    /// <summary>The special entries this vocabulary holds.</summary>
    public SpecialTokens SpecialTokens { get; }

    /// <summary>Number of special entries with a key (PAD, which is key 0, not counted).</summary>
    public int SpecialCount { get; }

    /// <summary>Key of the UNK entry, or 0 when there is none.</summary>
    public long UnknownKey { get; }

    /// <summary>Key of the start-of-sequence entry, or 0 when there is none.</summary>
    public long StartKey { get; }

    /// <summary>Key of the end-of-sequence entry, or 0 when there is none.</summary>
    public long EndKey { get; }

    /// <summary>Key of the CTC blank entry, or 0 when there is none.</summary>
    public long BlankKey { get; }

    /// <summary>Every value in key order: element <c>i</c> is the value of key <c>i + 1</c>.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>The ordinary values (special entries left out), in key order.</summary>
    public IEnumerable<string> OrdinaryValues => _values.Skip(SpecialCount);

    /// <summary>The key of <paramref name="value"/>: its own key, else <see cref="UnknownKey"/> (0 without UNK).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The key.</returns>
    public long GetKey(string value) => _keys.TryGetValue(value, out long key) ? key : UnknownKey;

    /// <summary>Looks a value up without falling back to UNK.</summary>
    /// <param name="value">The text.</param>
    /// <param name="key">Its key when present.</param>
    /// <returns>True when the value is in the vocabulary.</returns>
    public bool TryGetKey(string value, out long key) => _keys.TryGetValue(value, out key);

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <param name="key">A key from 0 to <see cref="Count"/>.</param>
    /// <returns>The value; for key 0, <see cref="PadToken"/> when the vocabulary has PAD, else the empty string.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="key"/> is negative or above <see cref="Count"/>.</exception>
    public string GetValue(long key)
    {
        if (key < 0 || key > _values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(key), key, $"Keys run from 0 to {_values.Length}.");
        }

        return key == 0 ? (SpecialTokens.HasFlag(SpecialTokens.Pad) ? PadToken : string.Empty) : _values[key - 1];
    }
}
