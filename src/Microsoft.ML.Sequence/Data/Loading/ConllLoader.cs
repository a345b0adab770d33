namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Loads CoNLL and CoNLL-U files lazily: one row per sentence (sentences end at blank lines), each column a
/// <c>Vector&lt;Text&gt;</c> with one entry per token.</summary>
/// <remarks>Comment lines (<c>#</c>) are skipped; in CoNLL-U so are multiword-token ranges (<c>1-2</c>) and empty nodes
/// (<c>8.1</c>), so the tokens are the syntactic words. Errors (too few fields, invalid UTF-8, an empty file) are
/// <see cref="DataFormatException"/>s naming the file, line and column.</remarks>
public static class ConllLoader
{
    /// <summary>A view over the sentences of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Dialect and columns. Default: CoNLL-U with <c>Tokens</c> (FORM) and <c>Tags</c> (UPOS).</param>
    /// <returns>The lazy view.</returns>
    public static ISequenceDataView Load(string path, ConllOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ConllOptions();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {Path.GetFullPath(path)}", path);
        }

        IReadOnlyList<ConllColumn> columns = options.ResolveColumns();
        if (new FileInfo(path).Length == 0)
        {
            throw new DataFormatException(path, 1, columns[0].Name, "the file is empty");
        }

        return new ConllDataView(path, options.Format, columns);
    }
}
