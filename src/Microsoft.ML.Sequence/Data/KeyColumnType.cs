namespace Microsoft.ML.Sequence.Data;

/// <summary>A column of keys: 1-based indices into a set of key values, 0 meaning missing (and PAD).</summary>
/// <remarks>
/// Values are <see cref="long"/>. Key <c>k</c> (1 ≤ k ≤ <see cref="Count"/>) is embedding row <c>k</c>; row 0 is PAD.
/// A key column made by a fitted vocabulary carries it in <see cref="Vocabulary"/>, so keys map back to their values.
/// Before fitting (schema propagation through an unfitted chain) <see cref="Count"/> is 0, meaning "not known yet".
/// </remarks>
public sealed class KeyColumnType : SequenceColumnType
{
    /// <summary>A key type with <paramref name="count"/> keys and no key values.</summary>
    /// <param name="count">Number of keys, or 0 when not known yet.</param>
    public KeyColumnType(long count)
        : base(typeof(long))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
    }

    /// <summary>A key type whose keys are the entries of <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The key values.</param>
    public KeyColumnType(Vocabulary vocabulary)
        : this((vocabulary ?? throw new ArgumentNullException(nameof(vocabulary))).Count)
    {
        Vocabulary = vocabulary;
    }

    /// <summary>A key type whose count is not known yet (an unfitted value-to-key mapping).</summary>
    public static KeyColumnType Unknown { get; } = new(0);

    /// <summary>Number of keys (the largest valid key), or 0 when not known yet.</summary>
    public long Count { get; }

    /// <summary>The key values, when the keys came from a vocabulary; otherwise null.</summary>
    public Vocabulary? Vocabulary { get; }

    /// <inheritdoc/>
    public override bool Equals(SequenceColumnType? other) =>
        other is KeyColumnType key && key.Count == Count && ReferenceEquals(key.Vocabulary, Vocabulary);

    /// <summary>The type's name.</summary>
    /// <returns>For example <c>Key[1..17]</c>, or <c>Key[?]</c> when the count is not known.</returns>
    public override string ToString() => Count == 0 ? "Key[?]" : $"Key[1..{Count}]";
}
