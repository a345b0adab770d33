namespace Microsoft.ML.Sequence;

/// <summary>Sums the counts behind <see cref="RecognitionMetrics"/> one (reference, prediction) pair at a time; the
/// evaluator uses it over an <see cref="IDataView"/>, a trainer over its validation predictions.</summary>
internal sealed class RecognitionCounter
{
    private long _rows, _referenceCharacters, _characterEdits, _referenceWords, _wordEdits, _exact;

    /// <summary>Adds one row.</summary>
    public void Add(ReadOnlySpan<char> reference, ReadOnlySpan<char> prediction)
    {
        _rows++;
        _referenceCharacters += reference.Length;
        _characterEdits += EditDistance.Levenshtein(reference, prediction);
        string[] referenceWords = Words(reference), predictedWords = Words(prediction);
        _referenceWords += referenceWords.Length;
        _wordEdits += EditDistance.Levenshtein<string>(referenceWords, predictedWords);
        if (reference.SequenceEqual(prediction))
        {
            _exact++;
        }
    }

    /// <summary>The metrics of the rows added so far.</summary>
    public RecognitionMetrics ToMetrics() =>
        new(_rows, _referenceCharacters, _characterEdits, _referenceWords, _wordEdits, _exact);

    private static string[] Words(ReadOnlySpan<char> text) =>
        text.IsEmpty ? [] : text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
