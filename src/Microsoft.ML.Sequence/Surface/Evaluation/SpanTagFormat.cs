namespace Microsoft.ML.Sequence;

/// <summary>How tag strings mark spans for <c>EvaluateSequenceTagging</c>; the two modes of the CoNLL script conlleval.</summary>
public enum SpanTagFormat
{
    /// <summary>conlleval's default: tags are <c>PREFIX-TYPE</c> with prefix B, I, E or S (BIO, BIOES and IOB1 schemes),
    /// and <c>O</c> is outside every span. A tag without a dash is a prefix with an empty type, so plain tags such as
    /// part-of-speech tags form no spans (read <see cref="SequenceTaggingMetrics.TokenAccuracy"/> for those).</summary>
    Prefixed,

    /// <summary>conlleval's <c>-r</c> (raw) mode: every tag other than <c>O</c> is a one-token span whose type is the
    /// whole tag, so per-type figures are per-tag token precision and recall (useful for part-of-speech tags).</summary>
    Raw,
}
