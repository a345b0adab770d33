using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Turns a row's input column (text, or a key vector) into the key sequence the network reads, counting
/// out-of-vocabulary tokens. Shared by training and <c>Transform</c>, so both see the same keys.</summary>
internal sealed class TextInputEncoder
{
    private readonly RecurrentTextClassifierOptions _options;

    public TextInputEncoder(RecurrentTextClassifierOptions options, Vocabulary vocabulary, bool keyInput)
    {
        _options = options;
        Vocabulary = vocabulary;
        KeyInput = keyInput;
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>True when the input column holds keys rather than text.</summary>
    public bool KeyInput { get; }

    /// <summary>Checks the input column: Text, or a vector of keys carrying a vocabulary.</summary>
    /// <returns>True for key input.</returns>
    public static bool CheckColumn(SequenceSchema schema, string columnName, string component)
    {
        if (!schema.TryGetIndex(columnName, out int index))
        {
            throw new ArgumentException(
                $"{component}: the input has no text column \"{columnName}\"; its columns are: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type})"))}. Set TextColumnName.",
                nameof(schema));
        }

        SequenceColumnType type = schema[index].Type;
        if (type is TextColumnType)
        {
            return false;
        }

        if (type is VectorColumnType { ItemType: KeyColumnType { Vocabulary: not null } })
        {
            return true;
        }

        throw new ArgumentException(
            $"{component}: column \"{columnName}\" is {type}; expected Text, or a vector of keys with a vocabulary (from MapValueToKey).",
            nameof(schema));
    }

    /// <summary>The tokens of a text (key input has none).</summary>
    public string[] Tokenize(string text)
    {
        string[] tokens = WordTokenizer.Tokenize(text, _options.Tokenization, _options.Lowercase);
        return _options.MaxSequenceLength > 0 && tokens.Length > _options.MaxSequenceLength ? tokens[.._options.MaxSequenceLength] : tokens;
    }

    /// <summary>Reads the input column of the cursor's row as keys; an empty row becomes one PAD key.</summary>
    public long[] Read(DataCursor cursor, int columnIndex, out int outOfVocabulary)
    {
        long[] keys;
        if (KeyInput)
        {
            long[] source = cursor.GetValue<long[]>(columnIndex);
            int length = _options.MaxSequenceLength > 0 ? Math.Min(source.Length, _options.MaxSequenceLength) : source.Length;
            keys = source[..length];
            foreach (long key in keys)
            {
                if (key < 0 || key > Vocabulary.Count)
                {
                    throw new ArgumentException(
                        $"Row {cursor.Position}, column \"{_options.TextColumnName}\": key {key} is outside the vocabulary's keys 0..{Vocabulary.Count}.");
                }
            }
        }
        else
        {
            string[] tokens = Tokenize(cursor.GetValue<string>(columnIndex));
            keys = new long[tokens.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = Vocabulary.GetKey(tokens[i]);
            }
        }

        outOfVocabulary = 0;
        if (Vocabulary.UnknownKey != 0)
        {
            foreach (long key in keys)
            {
                if (key == Vocabulary.UnknownKey)
                {
                    outOfVocabulary++;
                }
            }
        }

        return keys.Length == 0 ? [0L] : keys;
    }
}
