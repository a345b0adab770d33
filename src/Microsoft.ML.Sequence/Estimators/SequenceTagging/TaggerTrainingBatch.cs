using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>A training batch: row indices into the encoded training sentences, with the counts progress reports need.</summary>
internal sealed class TaggerTrainingBatch : ITrainingBatch
{
    public TaggerTrainingBatch(int[] rows, IReadOnlyList<EncodedSentence> sentences)
    {
        Rows = rows;
        foreach (int row in rows)
        {
            TokenCount += sentences[row].Length;
            OutOfVocabularyCount += sentences[row].OutOfVocabulary;
        }
    }

    public int[] Rows { get; }

    public int RowCount => Rows.Length;

    public long TokenCount { get; }

    public long OutOfVocabularyCount { get; }
}
