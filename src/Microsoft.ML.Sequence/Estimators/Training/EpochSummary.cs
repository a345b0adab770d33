namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>What one epoch did.</summary>
/// <param name="Epoch">Epoch number, from 1.</param>
/// <param name="TrainingLoss">Mean training loss over the epoch's steps.</param>
/// <param name="ValidationLoss">Mean validation loss, or null without validation data.</param>
/// <param name="ValidationMetric">Validation accuracy or F1, or null without validation data.</param>
/// <param name="Duration">Wall time of the epoch including validation.</param>
/// <param name="TokensPerSecond">Training throughput.</param>
/// <param name="StepTime">Wall time inside the optimiser steps alone (building the batch tensors, forward, backward,
/// clipping, update), without batching, validation or reporting: the "model-only" time benchmarks compare.</param>
public sealed record EpochSummary(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationMetric,
    TimeSpan Duration, double TokensPerSecond, TimeSpan StepTime = default);
