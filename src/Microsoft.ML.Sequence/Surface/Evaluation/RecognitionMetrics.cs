using System.Globalization;

namespace Microsoft.ML.Sequence;

/// <summary>Recognition quality (CTC text-line or speech recognition), as returned by
/// <c>mlContext.Sequence.EvaluateRecognition</c>: character and word error rates over the whole data set, and the
/// share of rows recognised exactly.</summary>
/// <remarks>
/// <para>The rates are corpus-level: the edit distances of all rows are summed and divided by the summed reference
/// lengths, so long lines weigh more than short ones (as in sclite, jiwer and the usual OCR/ASR tables), not averaged
/// per row.</para>
/// <para>CER = Σ<sub>rows</sub> Levenshtein(reference characters, predicted characters) / Σ<sub>rows</sub> |reference
/// characters|. Characters are UTF-16 code units, compared exactly (case, spaces and punctuation count).</para>
/// <para>WER = Σ<sub>rows</sub> Levenshtein(reference words, predicted words) / Σ<sub>rows</sub> |reference words|,
/// where words are the maximal runs of non-white-space characters (<see cref="char.IsWhiteSpace(char)"/>).</para>
/// <para>Each substitution, deletion and insertion costs 1, so a rate can exceed 1 when the predictions hold many
/// insertions.</para>
/// </remarks>
public sealed class RecognitionMetrics
{
    /// <summary>Creates the metrics from counts.</summary>
    /// <param name="rowCount">Rows evaluated, at least 0.</param>
    /// <param name="referenceCharacterCount">Characters in all references, at least 0.</param>
    /// <param name="characterEditCount">Sum over rows of the character edit distance, at least 0.</param>
    /// <param name="referenceWordCount">Words in all references, at least 0.</param>
    /// <param name="wordEditCount">Sum over rows of the word edit distance, at least 0.</param>
    /// <param name="exactMatchCount">Rows whose prediction equals the reference, from 0 to <paramref name="rowCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or <paramref name="exactMatchCount"/> exceeds
    /// <paramref name="rowCount"/>.</exception>
    public RecognitionMetrics(long rowCount, long referenceCharacterCount, long characterEditCount, long referenceWordCount,
        long wordEditCount, long exactMatchCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceCharacterCount);
        ArgumentOutOfRangeException.ThrowIfNegative(characterEditCount);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceWordCount);
        ArgumentOutOfRangeException.ThrowIfNegative(wordEditCount);
        ArgumentOutOfRangeException.ThrowIfNegative(exactMatchCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exactMatchCount, rowCount);
        RowCount = rowCount;
        ReferenceCharacterCount = referenceCharacterCount;
        CharacterEditCount = characterEditCount;
        ReferenceWordCount = referenceWordCount;
        WordEditCount = wordEditCount;
        ExactMatchCount = exactMatchCount;
        CharacterErrorRate = Rate(characterEditCount, referenceCharacterCount);
        WordErrorRate = Rate(wordEditCount, referenceWordCount);
        SequenceAccuracy = rowCount == 0 ? 0 : (double)exactMatchCount / rowCount;
    }

    /// <summary>Number of rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>Number of characters in all references together.</summary>
    public long ReferenceCharacterCount { get; }

    /// <summary>Character edit operations (substitutions + deletions + insertions) needed to turn every prediction
    /// into its reference, summed over rows.</summary>
    public long CharacterEditCount { get; }

    /// <summary>Number of words in all references together.</summary>
    public long ReferenceWordCount { get; }

    /// <summary>Word edit operations (substitutions + deletions + insertions) summed over rows.</summary>
    public long WordEditCount { get; }

    /// <summary>Number of rows whose prediction equals the reference exactly.</summary>
    public long ExactMatchCount { get; }

    /// <summary>Character error rate, <see cref="CharacterEditCount"/> / <see cref="ReferenceCharacterCount"/>; 0 is
    /// perfect, lower is better; at least 0 and above 1 only through insertions. 0 when there are no reference
    /// characters and no edits, +∞ when there are none but the predictions hold characters.</summary>
    public double CharacterErrorRate { get; }

    /// <summary>Word error rate, <see cref="WordEditCount"/> / <see cref="ReferenceWordCount"/>; 0 is perfect, lower is
    /// better; at least 0 and above 1 only through insertions. 0 when there are no reference words and no edits, +∞ when
    /// there are none but the predictions hold words.</summary>
    public double WordErrorRate { get; }

    /// <summary>Share of rows recognised exactly, <see cref="ExactMatchCount"/> / <see cref="RowCount"/>, in [0, 1]
    /// (0 for no rows); higher is better.</summary>
    public double SequenceAccuracy { get; }

    /// <summary>A table of the three figures, each with its count (edits, or exact rows) and what it is out of
/// (reference characters, reference words, rows).</summary>
    /// <returns>The table as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"""
        {"measure",-18} {"value",8} {"count",10} {"out of",10}
        {"character (CER)",-18} {CharacterErrorRate,8:0.0000} {CharacterEditCount,10} {ReferenceCharacterCount,10}
        {"word (WER)",-18} {WordErrorRate,8:0.0000} {WordEditCount,10} {ReferenceWordCount,10}
        {"sequence accuracy",-18} {SequenceAccuracy,8:0.0000} {ExactMatchCount,10} {RowCount,10}
        """);

    private static double Rate(long edits, long reference) => reference > 0 ? (double)edits / reference
        : edits == 0 ? 0 : double.PositiveInfinity;
}
