namespace Microsoft.ML.Sequence.Data.Conll;

/// <summary>Options of <c>mlContext.Data.LoadFromConll</c>: how the whitespace-separated fields of a CoNLL-2000/2003
/// style file map to columns.</summary>
/// <remarks>Each token line holds one token's fields separated by spaces or tabs; a blank line ends a sentence;
/// <c>-DOCSTART-</c> lines are skipped. The loader copies these options when it is called, so later changes to this
/// object do not affect a view already loaded.</remarks>
public sealed class ConllLoaderOptions
{
    /// <summary>Names of the columns, one per field of a token line, in field order (field 1 first). Each column is a
    /// variable-length vector of text with one entry per token. Every token line must have exactly this many fields;
    /// names must be non-empty and distinct. Default: <c>Tokens</c>, <c>Pos</c>, <c>Chunk</c>, <c>Tags</c> (the four
    /// fields of CoNLL-2003).</summary>
    public IList<string> ColumnNames { get; set; } = ["Tokens", "Pos", "Chunk", "Tags"];

    /// <summary>Lines that start with this text are comments and are skipped; null or empty reads every line as data
    /// (use it when a token itself may start a line with <c>#</c>). Default: <c>#</c>.</summary>
    public string? CommentPrefix { get; set; } = "#";
}
