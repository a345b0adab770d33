namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Options of <see cref="TokenizeWordsTransform"/>.</summary>
public sealed class TokenizeWordsOptions
{
    /// <summary>Text column to read. Default: "Text".</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>Column to write, a <c>Vector&lt;Text&gt;</c> of tokens. Default: "Tokens".</summary>
    public string OutputColumnName { get; set; } = "Tokens";

    /// <summary>Characters that separate tokens, or null for any white space. Empty tokens are dropped. Default: null.</summary>
    public string? Separators { get; set; }
}
