namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Options of <see cref="TokenizeCharactersTransform"/>.</summary>
public sealed class TokenizeCharactersOptions
{
    /// <summary>Column to read: Text (one vector of characters per row) or <c>Vector&lt;Text&gt;</c> (characters of all
    /// tokens, concatenated). Default: "Text".</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>Column to write, a <c>Vector&lt;Text&gt;</c> with one entry per Unicode scalar value. Default: "Characters".</summary>
    public string OutputColumnName { get; set; } = "Characters";
}
