using Microsoft.ML.Sequence.Data.Conll;

namespace Microsoft.ML.Sequence.Cli.Data;

/// <summary>Opens a tagging data file: <c>.conllu</c> as CoNLL-U (columns Tokens, Lemmas, Upos, Xpos, Feats, Heads,
/// DepRels), anything else as whitespace CoNLL with the columns given by --conll-columns.</summary>
internal static class ConllInput
{
    public static IDataView Open(MLContext ml, string path, string role, IReadOnlyList<string> conllColumns)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliException($"{role} file not found: {full}");
        }

        return Path.GetExtension(full).Equals(".conllu", StringComparison.OrdinalIgnoreCase)
            ? ml.Data.LoadFromConllU(full)
            : ml.Data.LoadFromConll(full, new ConllLoaderOptions { ColumnNames = conllColumns.ToList() });
    }

    /// <summary>Checks that <paramref name="column"/> exists, or names the columns there are.</summary>
    public static void Require(IDataView data, string column, string option, string path)
    {
        if (data.Schema.GetColumnOrNull(column) is null)
        {
            throw new CliException($"{option} {column}: {Path.GetFileName(path)} has no column \"{column}\"; its columns are: " +
                string.Join(", ", data.Schema.Select(c => c.Name)) + ".");
        }
    }
}
