namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Per-epoch record of a <c>Fit</c>, for plots and reports.</summary>
/// <param name="Epochs">One summary per epoch run.</param>
/// <param name="BestEpoch">Epoch whose weights the model holds (the best validation epoch when the best weights were
/// restored, else the last).</param>
/// <param name="StoppedEarly">True when early stopping ended training before the last epoch.</param>
/// <param name="Interrupted">True when the options' <c>StopToken</c> ended training (after a batch, the interrupted
/// epoch validated and counted in <paramref name="Epochs"/>).</param>
public sealed record TrainingHistory(IReadOnlyList<EpochSummary> Epochs, int BestEpoch, bool StoppedEarly, bool Interrupted = false);
