namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Options of <see cref="ConllLoader"/>.</summary>
public sealed class ConllOptions
{
    /// <summary>The file's dialect. Default: <see cref="ConllFormat.ConllU"/>.</summary>
    public ConllFormat Format { get; set; } = ConllFormat.ConllU;

    /// <summary>Columns to produce, each a <c>Vector&lt;Text&gt;</c> with one entry per token. Null means the dialect's
    /// default: for CoNLL-U <c>Tokens</c> = FORM (field 1) and <c>Tags</c> = UPOS (field 3); for whitespace files
    /// <c>Tokens</c> = field 0 and <c>Tags</c> = the last field. Default: null.</summary>
    public IList<ConllColumn>? Columns { get; set; }

    internal IReadOnlyList<ConllColumn> ResolveColumns()
    {
        if (Columns is { Count: > 0 })
        {
            return Columns.ToArray();
        }

        return Format == ConllFormat.ConllU
            ? [new ConllColumn("Tokens", 1), new ConllColumn("Tags", 3)]
            : [new ConllColumn("Tokens", 0), new ConllColumn("Tags", -1)];
    }
}
