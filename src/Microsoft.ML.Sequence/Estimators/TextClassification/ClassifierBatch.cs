using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>One training batch: indices of training rows (in ascending length order) and its token counts.</summary>
internal sealed record ClassifierBatch(int[] Rows, long TokenCount, long OutOfVocabularyCount) : ITrainingBatch
{
    public int RowCount => Rows.Length;
}
