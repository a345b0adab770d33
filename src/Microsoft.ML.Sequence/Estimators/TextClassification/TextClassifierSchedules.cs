using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Builds the <c>torch.optim.lr_scheduler</c> schedule a <see cref="TextClassifierSchedule"/> names, stepped once
/// after every optimiser step.</summary>
/// <remarks>
/// <para><see cref="TextClassifierSchedule.Cosine"/> is a <c>LambdaLR</c> with, for W warm-up steps (at most N − 1) and
/// N steps in all: lr(s) = lr₀ · s / W for s &lt; W, then lr₀ · (1 + cos(π · min(1, (s − W) / (N − W)))) / 2.</para>
/// <para><see cref="TextClassifierSchedule.OneCycle"/> is <c>OneCycleLR</c> (max_lr = lr₀, 30% warm-up, cosine annealing,
/// initial rate lr₀ / 25, final rate lr₀ / 25e4) without momentum cycling: the optimiser's β₁ or momentum stays fixed.</para>
/// </remarks>
internal static class TextClassifierSchedules
{
    public static optim.lr_scheduler.LRScheduler? Create(TextClassifierSchedule schedule, optim.Optimizer optimizer,
        double learningRate, int totalSteps, int warmupSteps) => schedule switch
    {
        TextClassifierSchedule.Constant => null,
        TextClassifierSchedule.Cosine => optim.lr_scheduler.LambdaLR(optimizer, CosineFactor(totalSteps, Math.Min(warmupSteps, totalSteps - 1))),
        TextClassifierSchedule.OneCycle => optim.lr_scheduler.OneCycleLR(optimizer, learningRate, total_steps: totalSteps, pct_start: 0.3,
            anneal_strategy: optim.lr_scheduler.impl.OneCycleLR.AnnealStrategy.Cos, cycle_momentum: false, div_factor: 25,
            final_div_factor: 1e4),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown TextClassifierSchedule."),
    };

    /// <summary>The multiple of lr₀ at step s of the cosine schedule with warm-up.</summary>
    public static Func<int, double> CosineFactor(int totalSteps, int warmupSteps) => step =>
    {
        if (step < warmupSteps)
        {
            return (double)step / warmupSteps;
        }

        double progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return (1 + Math.Cos(Math.PI * progress)) / 2;
    };
}
