namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Options of <see cref="NormalizeTextTransform"/>.</summary>
public sealed class NormalizeTextOptions
{
    /// <summary>Text column to read. Default: "Text".</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>Text column to write (may equal the input to replace it). Default: "Text".</summary>
    public string OutputColumnName { get; set; } = "Text";

    /// <summary>Case folding. Default: <see cref="TextCase.Lower"/>.</summary>
    public TextCase Case { get; set; } = TextCase.Lower;

    /// <summary>True to remove punctuation characters (Unicode category P). Default: false.</summary>
    public bool RemovePunctuation { get; set; }

    /// <summary>True to replace each run of white space with one space and trim both ends. Default: true.</summary>
    public bool CollapseWhitespace { get; set; } = true;
}
