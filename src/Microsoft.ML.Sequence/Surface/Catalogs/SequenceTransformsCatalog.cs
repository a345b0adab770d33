using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Transforms;

namespace Microsoft.ML.Sequence;

/// <summary>Text transforms, as estimators to chain with <c>Append</c>. Each has a short form (column names and common
/// knobs) and a form taking its options object.</summary>
public sealed class SequenceTransformsCatalog : SequenceCatalogBase
{
    internal SequenceTransformsCatalog(SequenceContext context)
        : base(context)
    {
    }

    /// <summary>Case folding and white-space collapsing.</summary>
    /// <param name="outputColumnName">Column to write.</param>
    /// <param name="inputColumnName">Column to read, or null for <paramref name="outputColumnName"/>. Default: null.</param>
    /// <param name="textCase">Case folding. Default: <see cref="TextCase.Lower"/>.</param>
    /// <returns>The transform.</returns>
    public NormalizeTextTransform NormalizeText(string outputColumnName, string? inputColumnName = null, TextCase textCase = TextCase.Lower) =>
        new(new NormalizeTextOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, Case = textCase });

    /// <summary>Case folding, punctuation removal and white-space collapsing.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The transform.</returns>
    public NormalizeTextTransform NormalizeText(NormalizeTextOptions options) => new(options);

    /// <summary>Splits text into word tokens.</summary>
    /// <param name="outputColumnName">Column to write (<c>Vector&lt;Text&gt;</c>).</param>
    /// <param name="inputColumnName">Text column to read, or null for <paramref name="outputColumnName"/>. Default: null.</param>
    /// <param name="separators">Separator characters, or null for white space. Default: null.</param>
    /// <returns>The transform.</returns>
    public TokenizeWordsTransform TokenizeIntoWords(string outputColumnName, string? inputColumnName = null, string? separators = null) =>
        new(new TokenizeWordsOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName, Separators = separators });

    /// <summary>Splits text into characters.</summary>
    /// <param name="outputColumnName">Column to write (<c>Vector&lt;Text&gt;</c>).</param>
    /// <param name="inputColumnName">Column to read, or null for <paramref name="outputColumnName"/>. Default: null.</param>
    /// <returns>The transform.</returns>
    public TokenizeCharactersTransform TokenizeIntoCharacters(string outputColumnName, string? inputColumnName = null) =>
        new(new TokenizeCharactersOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName });

    /// <summary>Learns a vocabulary and maps values to keys.</summary>
    /// <param name="outputColumnName">Key column to write.</param>
    /// <param name="inputColumnName">Text or text-vector column, or null for <paramref name="outputColumnName"/>. Default: null.</param>
    /// <param name="maxVocabularySize">Most ordinary values kept, 0 for all. Default: 0.</param>
    /// <param name="minCount">Fewest occurrences to keep a value. Default: 1.</param>
    /// <param name="specialTokens">Special entries. Default: <see cref="SpecialTokens.Unknown"/>.</param>
    /// <returns>The estimator.</returns>
    public MapValueToKeyEstimator MapValueToKey(string outputColumnName, string? inputColumnName = null, int maxVocabularySize = 0,
        int minCount = 1, SpecialTokens specialTokens = SpecialTokens.Unknown) =>
        new(new MapValueToKeyOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName ?? outputColumnName,
            MaxVocabularySize = maxVocabularySize,
            MinCount = minCount,
            SpecialTokens = specialTokens,
        });

    /// <summary>Learns a vocabulary and maps values to keys.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The estimator.</returns>
    public MapValueToKeyEstimator MapValueToKey(MapValueToKeyOptions options) => new(options);

    /// <summary>Maps keys back to their values.</summary>
    /// <param name="outputColumnName">Text column to write.</param>
    /// <param name="inputColumnName">Key column, or null for <paramref name="outputColumnName"/>. Default: null.</param>
    /// <returns>The transform.</returns>
    public MapKeyToValueTransform MapKeyToValue(string outputColumnName, string? inputColumnName = null) =>
        new(new MapKeyToValueOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName });
}
