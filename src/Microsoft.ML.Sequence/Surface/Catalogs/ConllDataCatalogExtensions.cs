using Microsoft.ML.Sequence.Data.Conll;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML;

/// <summary>Loads CoNLL-U and CoNLL files as ML.NET data: <c>mlContext.Data.LoadFromConllU(path)</c> and
/// <c>mlContext.Data.LoadFromConll(path, options)</c>.</summary>
/// <remarks>
/// <para>Each row is one sentence (sentences end at blank lines and at the end of the file); each column is a
/// variable-length vector of text (<c>VectorDataViewType(TextDataViewType.Instance)</c>, size 0) with one entry per
/// token, ready for <c>mlContext.Transforms.Conversion.MapValueToKey</c>. The returned views are lazy: a cursor streams
/// the file and holds one sentence at a time, and the view cannot shuffle (<c>CanShuffle</c> is false; ML.NET's
/// <c>ShuffleRows</c> and <c>Cache</c> work on it as on any view).</para>
/// <para>Loading checks that the file exists, is not empty and that its first sentence reads; the rest is checked as
/// cursors reach it. Every problem in the file (a token line with the wrong number of fields, an empty CoNLL-U field,
/// a CoNLL-U word ID out of sequence, invalid UTF-8) is a <see cref="DataFormatException"/> whose message names the
/// file, the 1-based line and the column, e.g. <c>train.conllu line 418, column "Upos": …</c>. Line endings may be
/// <c>\n</c> or <c>\r\n</c>; a UTF-8 byte-order mark is skipped.</para>
/// </remarks>
public static class ConllDataCatalogExtensions
{
    /// <summary>Loads a CoNLL-U (Universal Dependencies) file: one row per sentence, with the columns <c>Tokens</c>
    /// (FORM), <c>Lemmas</c> (LEMMA), <c>Upos</c> (UPOS), <c>Xpos</c> (XPOS), <c>Feats</c> (FEATS), <c>Heads</c> (HEAD, as
    /// text) and <c>DepRels</c> (DEPREL), each a variable-length vector of text with one entry per syntactic word.</summary>
    /// <remarks>Token lines have exactly ten tab-separated fields; <c>#</c> lines are comments. Multiword-token ranges
    /// (ID <c>1-2</c>) and empty nodes (ID <c>8.1</c>) are skipped, so the rows hold the syntactic words whose IDs count
    /// 1, 2, … in each sentence (checked). DEPS and MISC are read and checked but not returned.</remarks>
    /// <param name="catalog">The data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="path">The <c>.conllu</c> file.</param>
    /// <returns>The lazy view of the file's sentences.</returns>
    /// <exception cref="FileNotFoundException">No such file; the message gives its full path.</exception>
    /// <exception cref="DataFormatException">The file is empty or malformed; the message names the file, line and column.</exception>
    public static IDataView LoadFromConllU(this DataOperationsCatalog catalog, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ConllFileDataView.Open(path, ConllFileLayout.ConllU);
    }

    /// <summary>Loads a whitespace-separated CoNLL file (CoNLL-2000 chunking, CoNLL-2003 named entities): one row per
    /// sentence, one column per field as named by <paramref name="options"/>, each a variable-length vector of text
    /// with one entry per token.</summary>
    /// <remarks>Fields are separated by runs of spaces or tabs; every token line must have exactly as many fields as
    /// <see cref="ConllLoaderOptions.ColumnNames"/> has names. Lines starting with <c>-DOCSTART-</c> (document
    /// boundaries) and with <see cref="ConllLoaderOptions.CommentPrefix"/> are skipped.</remarks>
    /// <param name="catalog">The data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="path">The file.</param>
    /// <param name="options">Column names and comment prefix; copied, never changed. Default: null, meaning
    /// <c>new ConllLoaderOptions()</c> (CoNLL-2003's <c>Tokens</c>, <c>Pos</c>, <c>Chunk</c>, <c>Tags</c>).</param>
    /// <returns>The lazy view of the file's sentences.</returns>
    /// <exception cref="ArgumentException">The options name no column, an empty column or a column twice.</exception>
    /// <exception cref="FileNotFoundException">No such file; the message gives its full path.</exception>
    /// <exception cref="DataFormatException">The file is empty or malformed; the message names the file, line and column.</exception>
    public static IDataView LoadFromConll(this DataOperationsCatalog catalog, string path, ConllLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ConllFileDataView.Open(path, ConllFileLayout.FromOptions(options ?? new ConllLoaderOptions()));
    }
}
