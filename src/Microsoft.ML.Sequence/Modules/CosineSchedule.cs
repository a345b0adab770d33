namespace Microsoft.ML.Sequence.Modules;

/// <summary>Linear warm-up from 0 to lr₀, then cosine annealing from lr₀ to a minimum (Loshchilov &amp; Hutter's
/// SGDR without restarts).</summary>
/// <remarks>
/// <code>
/// s &lt; W:   lr(s) = lr₀ · s / W
/// s ≥ W:   lr(s) = min + (lr₀ − min) · (1 + cos(π · p)) / 2,  p = min(1, (s − W) / (N − W))
/// </code>
/// with W warm-up steps and N total steps; after N steps the rate stays at the minimum.
/// </remarks>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; lr₀ is the optimiser's current rate.</summary>
    /// <param name="optimizer">The optimiser whose rate the schedule sets.</param>
    /// <param name="totalSteps">Steps N until the rate reaches the minimum, at least 1.</param>
    /// <param name="minLearningRate">Final rate, in [0, lr₀]. Default: 0.</param>
    /// <param name="warmupSteps">Warm-up steps W, in [0, N). Default: 0.</param>
    public CosineSchedule(Optimizer optimizer, int totalSteps, double minLearningRate = 0, int warmupSteps = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        Arguments.Closed(minLearningRate, 0, InitialLearningRate, nameof(minLearningRate));
        if (warmupSteps < 0 || warmupSteps >= totalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps,
                $"warmupSteps must be in [0, {totalSteps}) (totalSteps); got {warmupSteps}.");
        }

        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
        WarmupSteps = warmupSteps;
        Apply();
    }

    /// <summary>Steps until the rate reaches the minimum.</summary>
    public int TotalSteps { get; }

    /// <summary>Final rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Warm-up steps.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int step)
    {
        CheckStep(step);
        if (step < WarmupSteps)
        {
            return InitialLearningRate * step / WarmupSteps;
        }

        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return MinLearningRate + ((InitialLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }
}
