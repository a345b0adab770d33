namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>A batch as the training loop sees it: only what progress reporting needs. Tensors are built by the
/// estimator's loss function inside the step's scope.</summary>
internal interface ITrainingBatch
{
    /// <summary>Non-padding input tokens.</summary>
    /// <summary>Rows (sentences) in the batch.</summary>
    int RowCount { get; }

    long TokenCount { get; }

    /// <summary>Input tokens that were not in the vocabulary.</summary>
    long OutOfVocabularyCount { get; }
}
