using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>One training batch: training-row indices and their input frames (columns) in total.</summary>
internal sealed record CtcBatch(int[] Rows, long TokenCount) : ITrainingBatch
{
    public int RowCount => Rows.Length;

    /// <summary>Always 0: recognizers have no vocabulary of inputs.</summary>
    public long OutOfVocabularyCount => 0;
}
