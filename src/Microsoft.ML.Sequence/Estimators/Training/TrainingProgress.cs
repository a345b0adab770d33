namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>One progress report from <c>Fit</c>, delivered synchronously on the training thread (a console, a log or a
/// UI can show it; cancelling the token from the handler stops training before the next batch).</summary>
/// <param name="Phase">Step report or end of epoch.</param>
/// <param name="Epoch">Current epoch, from 1.</param>
/// <param name="EpochCount">Maximum number of epochs.</param>
/// <param name="Step">Optimiser steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Optimiser steps in an epoch.</param>
/// <param name="Loss">Mean training loss over the epoch's steps so far.</param>
/// <param name="ValidationLoss">Mean validation loss (end of epoch with validation data), else null.</param>
/// <param name="ValidationMetric">Validation accuracy or F1 over the whole validation set (end of epoch), else null.</param>
/// <param name="TokensPerSecond">Training throughput in tokens (non-padding inputs) per second this epoch.</param>
/// <param name="RowsPerSecond">Training throughput in rows (sentences) per second this epoch.</param>
/// <param name="Elapsed">Time since <c>Fit</c> started training.</param>
/// <param name="EstimatedRemaining">Estimated time to the last epoch's end (if no early stop).</param>
/// <param name="OutOfVocabularyTokens">Input tokens this epoch that were not in the vocabulary (mapped to UNK or PAD).</param>
/// <param name="LearningRate">Learning rate in force.</param>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int EpochCount,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double? ValidationLoss,
    double? ValidationMetric,
    double TokensPerSecond,
    double RowsPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    long OutOfVocabularyTokens,
    double LearningRate)
{
    /// <summary>A one-line summary for logs.</summary>
    /// <returns>For example <c>epoch 2/10 step 100/1053 loss 0.4312 12,345 tok/s ETA 00:03:12</c>.</returns>
    public override string ToString()
    {
        string validation = ValidationMetric is double metric
            ? FormattableString.Invariant($" validation {metric:0.0000} (loss {ValidationLoss:0.0000})")
            : string.Empty;
        return FormattableString.Invariant(
            $"epoch {Epoch}/{EpochCount} step {Step}/{StepsPerEpoch} loss {Loss:0.0000}{validation} {RowsPerSecond:N0} rows/s {TokensPerSecond:N0} tok/s OOV {OutOfVocabularyTokens:N0} ETA {EstimatedRemaining:hh\\:mm\\:ss}");
    }
}
