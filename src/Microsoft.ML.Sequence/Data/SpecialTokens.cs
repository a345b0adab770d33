namespace Microsoft.ML.Sequence.Data;

/// <summary>Special entries a <see cref="Vocabulary"/> can hold besides the values seen in the data.</summary>
/// <remarks>
/// PAD is always key 0 (embedding row 0). The others take keys 1, 2, … in the order Unknown, Start, End, Blank,
/// for those present, before the ordinary values.
/// </remarks>
[Flags]
public enum SpecialTokens
{
    /// <summary>No special tokens: a value outside the vocabulary maps to key 0 (missing).</summary>
    None = 0,

    /// <summary>Key 0 is named <see cref="Vocabulary.PadToken"/>: mapping back gives that text instead of the empty
    /// string, and the text <see cref="Vocabulary.PadToken"/> maps to key 0.</summary>
    Pad = 1,

    /// <summary>An UNK entry (<see cref="Vocabulary.UnknownToken"/>) that values outside the vocabulary map to.</summary>
    Unknown = 2,

    /// <summary>A start-of-sequence entry (<see cref="Vocabulary.StartToken"/>).</summary>
    Start = 4,

    /// <summary>An end-of-sequence entry (<see cref="Vocabulary.EndToken"/>).</summary>
    End = 8,

    /// <summary>A CTC blank entry (<see cref="Vocabulary.BlankToken"/>).</summary>
    Blank = 16,
}
