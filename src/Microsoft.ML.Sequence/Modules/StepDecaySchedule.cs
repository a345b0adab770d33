namespace Microsoft.ML.Sequence.Modules;

/// <summary>Multiplies the rate by γ every <c>stepSize</c> steps (PyTorch's <c>StepLR</c>):
/// lr(s) = lr₀ · γ^⌊s / stepSize⌋.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; lr₀ is the optimiser's current rate.</summary>
    /// <param name="optimizer">The optimiser whose rate the schedule sets.</param>
    /// <param name="stepSize">Steps between decays, at least 1.</param>
    /// <param name="gamma">Decay factor γ, in (0, 1]. Default: 0.1.</param>
    public StepDecaySchedule(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma must be in (0, 1]; got {gamma}.");
        }

        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int step)
    {
        CheckStep(step);
        return InitialLearningRate * Math.Pow(Gamma, step / StepSize);
    }
}
