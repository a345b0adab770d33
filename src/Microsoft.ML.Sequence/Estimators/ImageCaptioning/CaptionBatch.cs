using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>One training batch: row indices (captions of similar length), their caption tokens and unknown words.</summary>
internal sealed record CaptionBatch(int[] Rows, long TokenCount, long OutOfVocabularyCount) : ITrainingBatch
{
    public int RowCount => Rows.Length;
}
