namespace Microsoft.ML.Sequence.Modules;

/// <summary>
/// Base of the learning-rate schedules: a pure function of the optimiser step (<see cref="LearningRateAt"/>) bound to
/// an <see cref="Optimizer"/> whose <see cref="Optimizer.LearningRate"/> it sets.
/// </summary>
/// <remarks>
/// <para>Creating a schedule sets the optimiser's rate to <c>LearningRateAt(0)</c>. Call <see cref="Step"/> once after
/// each optimiser step: the next optimiser step then uses <c>LearningRateAt(StepCount)</c>. This is PyTorch's
/// <c>scheduler.step()</c> called per batch.</para>
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/>. Subclasses validate their arguments and then call
    /// <see cref="Apply"/> to set the rate for step 0.</summary>
    /// <param name="optimizer">The optimiser whose rate the schedule sets.</param>
    /// <param name="initialLearningRate">The schedule's base rate; null takes the optimiser's current rate.</param>
    protected LearningRateSchedule(Optimizer optimizer, double? initialLearningRate = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        InitialLearningRate = Arguments.NonNegative(initialLearningRate ?? optimizer.LearningRate, nameof(initialLearningRate));
    }

    /// <summary>The optimiser whose rate the schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The base rate the schedule starts from (the optimiser's rate when the schedule was created, unless the
    /// schedule defines it otherwise).</summary>
    public double InitialLearningRate { get; }

    /// <summary>Number of times <see cref="Step"/> has been called.</summary>
    public int StepCount { get; private set; }

    /// <summary>Advances one optimiser step and sets the optimiser's rate to <c>LearningRateAt(StepCount)</c>.</summary>
    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>The learning rate after <paramref name="step"/> optimiser steps; no side effects.</summary>
    /// <param name="step">Number of completed optimiser steps, ≥ 0.</param>
    /// <returns>The rate.</returns>
    public abstract double LearningRateAt(int step);

    /// <summary>Sets the optimiser's rate to <c>LearningRateAt(StepCount)</c>.</summary>
    protected void Apply() => Optimizer.LearningRate = LearningRateAt(StepCount);

    /// <summary>Throws when <paramref name="step"/> is negative.</summary>
    /// <param name="step">The step to check.</param>
    protected static void CheckStep(int step) => ArgumentOutOfRangeException.ThrowIfNegative(step);
}
