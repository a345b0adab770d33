using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>
/// The one training loop every estimator uses: epochs of optimiser steps (each in its own TorchSharp dispose scope),
/// gradient clipping (<c>torch.nn.utils.clip_grad_norm_</c>), learning-rate schedule (<c>torch.optim.lr_scheduler</c>, stepped
/// after every optimiser step), validation over the whole validation set after each epoch, best-epoch
/// tracking, early stopping with best-weight restore, optional weight averaging, progress reports and cancellation
/// before every batch.
/// </summary>
internal sealed class TrainingLoop<TBatch> where TBatch : ITrainingBatch
{
    public required nn.Module Model { get; init; }

    public required optim.Optimizer Optimizer { get; init; }

    public LRScheduler? Schedule { get; init; }

    /// <summary>Global-norm clipping threshold; 0 disables clipping.</summary>
    public double GradientClipNorm { get; init; }

    /// <summary>When the model is an ensemble of independently trained members: each member's parameters. The loss
    /// <c>computeLoss</c> returns is then the sum of the members' losses; each member's gradient is clipped on its own
    /// (at <see cref="GradientClipNorm"/>, as if trained alone) and reports show the members' mean loss. Null or one
    /// group: one model, clipped as a whole.</summary>
    public IReadOnlyList<IReadOnlyList<TorchSharp.Modules.Parameter>>? Members { get; init; }

    public required int MaxEpochs { get; init; }

    /// <summary>Report progress every this many steps (0: only at epoch ends).</summary>
    public int ReportEvery { get; init; } = 50;

    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>Decay of an exponential moving average of the weights (<see cref="WeightAverage"/>), in [0, 1): when
    /// above 0, validation, best-epoch snapshots and the weights training ends with are the averages.</summary>
    public double WeightAverageDecay { get; init; }

    /// <summary>The figure that picks the best epoch when validation data exists.</summary>
    public ValidationMetric SelectionMetric { get; init; } = ValidationMetric.Accuracy;

    public IProgress<TrainingProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Ends training after the current batch without an exception: the interrupted epoch is validated and
    /// competes for the best epoch like any other, and <see cref="Run"/> returns as after the last epoch.</summary>
    public CancellationToken StopToken { get; init; }

    /// <summary>The figure that decides the best epoch: the early-stopping metric when set, else <see cref="SelectionMetric"/>.</summary>
    private ValidationMetric DecisionMetric => EarlyStopping?.Metric ?? SelectionMetric;

    /// <summary>The quality figure shown as <see cref="TrainingProgress.ValidationMetric"/>: F1 when F1 decides, else accuracy.</summary>
    private ValidationMetric DisplayMetric => DecisionMetric == ValidationMetric.F1 ? ValidationMetric.F1 : ValidationMetric.Accuracy;

    /// <summary>Trains. <paramref name="batchesForEpoch"/> gives the (shuffled) batches of epoch e (from 1);
    /// <paramref name="computeLoss"/> builds a batch's tensors and returns its scalar loss; <paramref name="validate"/>
    /// (optional) scores the whole validation set with the model in evaluation mode.</summary>
    public TrainingHistory Run(Func<int, IReadOnlyList<TBatch>> batchesForEpoch, Func<TBatch, Tensor> computeLoss,
        Func<ValidationResult>? validate)
    {
        var epochs = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        var rule = EarlyStopping ?? new EarlyStoppingOptions { Metric = DecisionMetric };
        bool restoreBest = validate is not null && EarlyStopping?.RestoreBestWeights == true;
        double best = double.NaN;
        int bestEpoch = 0, epochsWithoutGain = 0;
        bool stoppedEarly = false, interrupted = false;
        Dictionary<string, Tensor>? bestWeights = null;
        using WeightAverage? average = WeightAverageDecay > 0 ? new WeightAverage(Optimizer.parameters(), WeightAverageDecay) : null;
        try
        {
            for (int epoch = 1; epoch <= MaxEpochs && !interrupted; epoch++)
            {
                if (epoch > 1 && StopToken.IsCancellationRequested)
                {
                    // Asked to stop between epochs (for example during validation): the last epoch is complete.
                    interrupted = true;
                    break;
                }

                (EpochSummary summary, ValidationResult? validation, bool cut) = RunEpoch(epoch, batchesForEpoch(epoch), computeLoss, validate, average, clock);
                epochs.Add(summary);
                interrupted = cut;
                if (validation is null)
                {
                    continue;
                }

                if (rule.IsImprovement(validation.Get(DecisionMetric), best))
                {
                    (best, bestEpoch, epochsWithoutGain) = (validation.Get(DecisionMetric), epoch, 0);
                    if (restoreBest)
                    {
                        DisposeAll(bestWeights);
                        using (average?.Apply())
                        {
                            bestWeights = Snapshot();
                        }
                    }
                }
                else if (EarlyStopping is not null && ++epochsWithoutGain >= EarlyStopping.Patience)
                {
                    stoppedEarly = epoch < MaxEpochs;
                    break;
                }
            }

            if (restoreBest && bestWeights is not null && bestEpoch != epochs.Count)
            {
                StateDictionaries.Load(Model, bestWeights, Model.GetType().Name);
                return new TrainingHistory(epochs, bestEpoch, stoppedEarly, interrupted);
            }

            average?.Keep();
            return new TrainingHistory(epochs, epochs.Count, stoppedEarly, interrupted);
        }
        finally
        {
            DisposeAll(bestWeights);
            Model.train();
        }
    }

    private (EpochSummary Summary, ValidationResult? Validation, bool Interrupted) RunEpoch(int epoch, IReadOnlyList<TBatch> batches,
        Func<TBatch, Tensor> computeLoss, Func<ValidationResult>? validate, WeightAverage? average, Stopwatch clock)
    {
        var epochClock = Stopwatch.StartNew();
        Model.train();
        IReadOnlyList<IReadOnlyList<TorchSharp.Modules.Parameter>> clipGroups = Members ?? [Optimizer.parameters().ToList()];
        double lossSum = 0;
        long tokens = 0, rows = 0, outOfVocabulary = 0;
        var stepClock = new Stopwatch();
        int stepsRun = 0;
        bool interrupted = false;
        for (int step = 1; step <= batches.Count; step++)
        {
            CancellationToken.ThrowIfCancellationRequested();
            if (StopToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            TBatch batch = batches[step - 1];
            stepClock.Start();
            using (NewDisposeScope())
            {
                Optimizer.zero_grad();
                Tensor loss = computeLoss(batch);
                loss.backward();
                if (GradientClipNorm > 0)
                {
                    foreach (IReadOnlyList<TorchSharp.Modules.Parameter> group in clipGroups)
                    {
                        nn.utils.clip_grad_norm_(group, GradientClipNorm);
                    }
                }

                Optimizer.step();
                average?.Update();
                Schedule?.step();
                double value = loss.ToDouble() / clipGroups.Count;
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException(
                        $"The training loss became {value} at epoch {epoch}, step {step}; lower the learning rate or enable gradient clipping.");
                }

                lossSum += value;
            }

            stepClock.Stop();
            stepsRun = step;

            tokens += batch.TokenCount;
            rows += batch.RowCount;
            outOfVocabulary += batch.OutOfVocabularyCount;
            if (ReportEvery > 0 && step % ReportEvery == 0 && step < batches.Count)
            {
                Report(TrainingPhase.Step, epoch, step, batches.Count, lossSum / step, null, tokens, rows, outOfVocabulary, epochClock, clock);
            }
        }

        ValidationResult? validation = null;
        if (validate is not null)
        {
            CancellationToken.ThrowIfCancellationRequested();
            Model.eval();
            using (average?.Apply())
            using (no_grad())
            {
                validation = validate();
            }

            Model.train();
        }

        double meanLoss = stepsRun == 0 ? double.NaN : lossSum / stepsRun;
        Report(TrainingPhase.EpochEnd, epoch, stepsRun, batches.Count, meanLoss, validation, tokens, rows, outOfVocabulary, epochClock, clock);
        var summary = new EpochSummary(epoch, meanLoss, validation?.Loss, validation?.Get(DisplayMetric), epochClock.Elapsed,
            tokens / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9), stepClock.Elapsed);
        return (summary, validation, interrupted);
    }

    private void Report(TrainingPhase phase, int epoch, int step, int steps, double loss, ValidationResult? validation,
        long tokens, long rows, long outOfVocabulary, Stopwatch epochClock, Stopwatch clock)
    {
        if (Progress is null)
        {
            return;
        }

        double done = (epoch - 1) + (double)step / Math.Max(steps, 1);
        TimeSpan remaining = done <= 0 ? TimeSpan.Zero : clock.Elapsed * ((MaxEpochs - done) / done);
        Progress.Report(new TrainingProgress(phase, epoch, MaxEpochs, step, steps, loss, validation?.Loss, validation?.Get(DisplayMetric),
            tokens / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9), rows / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed, remaining, outOfVocabulary, OptimizerFactory.LearningRate(Optimizer)));
    }

    private Dictionary<string, Tensor> Snapshot() => StateDictionaries.Snapshot(Model);

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        foreach (Tensor t in tensors?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }
    }
}
