using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Tests.Support;

/// <summary>A batch of one row and one in-vocabulary token, for training-loop tests whose loss ignores the batch.</summary>
internal sealed class OneRowBatch : ITrainingBatch
{
    public int RowCount => 1;

    public long TokenCount => 1;

    public long OutOfVocabularyCount => 0;
}
