namespace Microsoft.ML.Sequence.Data.Conll;

/// <summary>How the token lines of one CoNLL dialect map to columns: the output columns (each reading one field), the
/// number of fields every token line must have, and the comment and document-start rules.</summary>
internal sealed class ConllFileLayout
{
    /// <summary>The CoNLL-U columns: FORM, LEMMA, UPOS, XPOS, FEATS, HEAD and DEPREL (fields 2 to 8).</summary>
    public static readonly ConllFileLayout ConllU = new(
        isConllU: true,
        ["Tokens", "Lemmas", "Upos", "Xpos", "Feats", "Heads", "DepRels"],
        [1, 2, 3, 4, 5, 6, 7],
        fieldCount: 10,
        commentPrefix: "#");

    private ConllFileLayout(bool isConllU, IReadOnlyList<string> columnNames, IReadOnlyList<int> fields, int fieldCount,
        string? commentPrefix)
    {
        IsConllU = isConllU;
        ColumnNames = columnNames;
        Fields = fields;
        FieldCount = fieldCount;
        CommentPrefix = string.IsNullOrEmpty(commentPrefix) ? null : commentPrefix;
    }

    /// <summary>True for CoNLL-U (ten tab-separated fields, word IDs checked, ranges and empty nodes skipped); false for
    /// whitespace-separated CoNLL-2000/2003 files (<c>-DOCSTART-</c> lines skipped).</summary>
    public bool IsConllU { get; }

    /// <summary>Output column names.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Zero-based field read by each output column.</summary>
    public IReadOnlyList<int> Fields { get; }

    /// <summary>Number of fields every token line must have.</summary>
    public int FieldCount { get; }

    /// <summary>Lines starting with this are comments; null when none are.</summary>
    public string? CommentPrefix { get; }

    /// <summary>The layout for a whitespace-separated file, validated and copied from <paramref name="options"/>.</summary>
    /// <param name="options">The caller's options (not kept).</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentException">No column names, an empty name or a repeated name.</exception>
    public static ConllFileLayout FromOptions(ConllLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ColumnNames is not { Count: > 0 } names)
        {
            throw new ArgumentException(
                $"{nameof(ConllLoaderOptions)}.{nameof(ConllLoaderOptions.ColumnNames)} must name at least one column (one per field).",
                nameof(options));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new ArgumentException(
                    $"{nameof(ConllLoaderOptions)}.{nameof(ConllLoaderOptions.ColumnNames)}[{i}] is empty; every field needs a column name.",
                    nameof(options));
            }

            if (!seen.Add(names[i]))
            {
                throw new ArgumentException(
                    $"{nameof(ConllLoaderOptions)}.{nameof(ConllLoaderOptions.ColumnNames)} names column \"{names[i]}\" twice.",
                    nameof(options));
            }
        }

        return new ConllFileLayout(isConllU: false, names.ToArray(), Enumerable.Range(0, names.Count).ToArray(),
            names.Count, options.CommentPrefix);
    }

    /// <summary>Describes a zero-based field for messages: the name of the column that reads it, or <c>field N</c>.</summary>
    /// <param name="field">Zero-based field index.</param>
    /// <returns>The description.</returns>
    public string DescribeField(int field)
    {
        for (int c = 0; c < Fields.Count; c++)
        {
            if (Fields[c] == field)
            {
                return ColumnNames[c];
            }
        }

        return $"field {field + 1}";
    }
}
