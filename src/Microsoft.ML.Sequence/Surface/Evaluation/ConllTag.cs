namespace Microsoft.ML.Sequence;

/// <summary>A tag split the way conlleval splits it: the text, its chunk prefix and its span type.</summary>
/// <param name="Text">The whole tag, compared for token accuracy.</param>
/// <param name="Prefix">Chunk prefix (<c>B</c>, <c>I</c>, <c>E</c>, <c>S</c>, <c>O</c>, or a plain tag).</param>
/// <param name="Type">Span type, empty when the tag has none.</param>
internal readonly record struct ConllTag(string Text, string Prefix, string Type)
{
    /// <summary>The tag outside every span, also used to close the spans open at a sentence end.</summary>
    public static readonly ConllTag Outside = new("O", "O", string.Empty);

    /// <summary>Splits <paramref name="tag"/> under <paramref name="format"/>.</summary>
    /// <param name="tag">The tag text.</param>
    /// <param name="format">Prefixed (conlleval's default) or raw (<c>-r</c>: every non-O tag is <c>B-tag</c>).</param>
    /// <returns>The split tag.</returns>
    public static ConllTag Parse(string tag, SpanTagFormat format)
    {
        switch (format)
        {
            case SpanTagFormat.Prefixed:
                (string prefix, string type) = ConllChunker.Split(tag);
                return new ConllTag(tag, prefix, type);
            case SpanTagFormat.Raw:
                return tag == "O" ? Outside : new ConllTag(tag, "B", tag);
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, $"Unknown {nameof(SpanTagFormat)}.");
        }
    }
}
