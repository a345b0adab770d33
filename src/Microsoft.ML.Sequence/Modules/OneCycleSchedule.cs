namespace Microsoft.ML.Sequence.Modules;

/// <summary>The one-cycle policy (Smith &amp; Topin, 2018) as PyTorch's <c>OneCycleLR</c> with
/// <c>anneal_strategy='cos'</c> and <c>three_phase=False</c>, without momentum cycling.</summary>
/// <remarks>
/// <para>The rate rises from lr₀ = max / divFactor to max over the warm-up phase, then falls to
/// lr₀ / finalDivFactor, both by cosine annealing, cos(a, b, p) = b + (a − b)·(1 + cos(π·p))/2:</para>
/// <code>
/// E₁ = warmupFraction · N − 1,  E₂ = N − 1
/// s ≤ E₁:  lr(s) = cos(lr₀, max, s / E₁)
/// s &gt; E₁:  lr(s) = cos(max, lr₀ / finalDivFactor, (s − E₁) / (E₂ − E₁))
/// </code>
/// <para>As in PyTorch, steps up to N are allowed and a later step throws.</para>
/// </remarks>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    private readonly double _warmupEnd;
    private readonly double _end;

    /// <summary>Creates the schedule and sets the optimiser's rate to max / divFactor.</summary>
    /// <param name="optimizer">The optimiser whose rate the schedule sets.</param>
    /// <param name="maxLearningRate">Peak rate, a finite number &gt; 0.</param>
    /// <param name="totalSteps">Steps N in the cycle, at least 2.</param>
    /// <param name="warmupFraction">Fraction of the steps spent rising, in (0, 1), with 1 &lt; fraction·N &lt; N.
    /// Default: 0.3.</param>
    /// <param name="divFactor">Initial rate = max / divFactor, &gt; 0. Default: 25.</param>
    /// <param name="finalDivFactor">Final rate = initial rate / finalDivFactor, &gt; 0. Default: 1e4.</param>
    public OneCycleSchedule(Optimizer optimizer, double maxLearningRate, int totalSteps, double warmupFraction = 0.3,
        double divFactor = 25, double finalDivFactor = 1e4)
        : base(optimizer, Arguments.Positive(maxLearningRate, nameof(maxLearningRate)) / Arguments.Positive(divFactor, nameof(divFactor)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        Arguments.Positive(finalDivFactor, nameof(finalDivFactor));
        _warmupEnd = (warmupFraction * totalSteps) - 1;
        _end = totalSteps - 1;
        if (!(warmupFraction > 0 && warmupFraction < 1 && _warmupEnd > 0 && _warmupEnd < _end))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction,
                $"warmupFraction must be in (0, 1) with 1 < warmupFraction·totalSteps < totalSteps ({totalSteps}); got {warmupFraction}.");
        }

        MaxLearningRate = maxLearningRate;
        TotalSteps = totalSteps;
        WarmupFraction = warmupFraction;
        FinalLearningRate = InitialLearningRate / finalDivFactor;
        Apply();
    }

    /// <summary>Peak rate.</summary>
    public double MaxLearningRate { get; }

    /// <summary>Steps in the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>Fraction of the steps spent rising.</summary>
    public double WarmupFraction { get; }

    /// <summary>Rate at the end of the cycle: initial rate / finalDivFactor.</summary>
    public double FinalLearningRate { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative or greater than
    /// <see cref="TotalSteps"/>.</exception>
    public override double LearningRateAt(int step)
    {
        CheckStep(step);
        if (step > TotalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"OneCycleSchedule was created for {TotalSteps} steps; step {step} is past the end of the cycle.");
        }

        return step <= _warmupEnd
            ? Anneal(InitialLearningRate, MaxLearningRate, step / _warmupEnd)
            : Anneal(MaxLearningRate, FinalLearningRate, (step - _warmupEnd) / (_end - _warmupEnd));
    }

    private static double Anneal(double start, double end, double fraction) =>
        end + ((start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1));
}
