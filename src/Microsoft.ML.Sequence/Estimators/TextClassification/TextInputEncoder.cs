using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Columns;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Turns a classifier's text column into the token keys its network reads: tokenises and lowercases text,
/// looks tokens up in the vocabulary (unknown ones become UNK), passes keys through, and truncates to
/// <see cref="RecurrentTextClassifierOptions.MaxSequenceLength"/>. An empty row reads as one PAD key.</summary>
internal sealed class TextInputEncoder
{
    private const string Role = "text";
    private readonly RecurrentTextClassifierOptions _options;

    public TextInputEncoder(RecurrentTextClassifierOptions options, Vocabulary vocabulary, TextInputKind kind)
    {
        _options = options;
        Vocabulary = vocabulary;
        Kind = kind;
    }

    public Vocabulary Vocabulary { get; }

    public TextInputKind Kind { get; }

    /// <summary>What the named column holds, or an ML.NET-style schema error.</summary>
    public static TextInputKind CheckColumn(ColumnShape shape, string columnName, string component)
    {
        if (shape.IsScalar(TextDataViewType.Instance))
        {
            return TextInputKind.Text;
        }

        if (shape.IsVectorOf(TextDataViewType.Instance))
        {
            return TextInputKind.Tokens;
        }

        if (shape.IsKeyVector)
        {
            return TextInputKind.Keys;
        }

        throw InputColumns.Mismatch(columnName, Role, component, "Text, a vector of Text or a vector of keys", shape);
    }

    /// <summary>Finds and checks the text column of <paramref name="schema"/>.</summary>
    public static (DataViewSchema.Column Column, TextInputKind Kind) FindColumn(DataViewSchema schema, string columnName, string component)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, columnName, Role, component);
        return (column, CheckColumn(InputColumns.Shape(column.Type), columnName, component));
    }

    /// <summary>Finds and checks the text column of an estimator's input shape.</summary>
    public static TextInputKind FindColumn(SchemaShape schema, string columnName, string component) =>
        CheckColumn(ColumnShape.Of(InputColumns.Find(schema, columnName, Role, component)), columnName, component);

    /// <summary>The tokens of one text, as the model reads them.</summary>
    public string[] Tokenize(string text) => Truncate(WordTokenizer.Tokenize(text, _options.Tokenization, _options.Lowercase));

    /// <summary>Reads a row's tokens (Text and Tokens columns).</summary>
    public Func<string[]> CreateTokenReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (Kind == TextInputKind.Text)
        {
            Func<string> text = RowReaders.Text(row, column);
            return () => Tokenize(text());
        }

        Func<string[]> tokens = RowReaders.TextVector(row, column);
        return () => Truncate(_options.Lowercase ? tokens().Select(t => t.ToLowerInvariant()).ToArray() : tokens());
    }

    /// <summary>Reads a row's keys (Keys columns), truncated.</summary>
    public Func<long[]> CreateRawKeyReader(DataViewRow row, DataViewSchema.Column column)
    {
        Func<uint[]> keys = RowReaders.KeyVector(row, column);
        return () => Truncate(keys().Select(k => (long)k).ToArray());
    }

    /// <summary>Reads a row as the keys the network takes.</summary>
    public Func<long[]> CreateReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (Kind == TextInputKind.Keys)
        {
            Func<long[]> raw = CreateRawKeyReader(row, column);
            return () => NonEmpty(raw());
        }

        Func<string[]> tokens = CreateTokenReader(row, column);
        return () => Encode(tokens());
    }

    /// <summary>The keys of tokens: vocabulary keys, UNK for the unknown, one PAD key for none.</summary>
    public long[] Encode(string[] tokens)
    {
        var keys = new long[tokens.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Vocabulary.GetKey(tokens[i]);
        }

        return NonEmpty(keys);
    }

    private static long[] NonEmpty(long[] keys) => keys.Length == 0 ? [0L] : keys;

    private T[] Truncate<T>(T[] items) =>
        _options.MaxSequenceLength > 0 && items.Length > _options.MaxSequenceLength ? items[.._options.MaxSequenceLength] : items;
}
