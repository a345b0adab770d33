namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>When to stop training before the last epoch. Configuration only: the running state (best value, epochs
/// without improvement) lives in the training loop, so one options object serves any number of <c>Fit</c> calls.</summary>
/// <remarks>The direction follows <see cref="Metric"/>: <see cref="ValidationMetric.Loss"/> must fall, the others must
/// rise, by more than <see cref="MinDelta"/> to count as an improvement. Early stopping needs validation data.</remarks>
public sealed class EarlyStoppingOptions
{
    /// <summary>The figure watched on the validation set. Default: <see cref="ValidationMetric.Accuracy"/>.</summary>
    public ValidationMetric Metric { get; set; } = ValidationMetric.Accuracy;

    /// <summary>Epochs without improvement before training stops, at least 1. Default: 3.</summary>
    public int Patience { get; set; } = 3;

    /// <summary>Smallest change that counts as an improvement, at least 0. Default: 0.</summary>
    public double MinDelta { get; set; }

    /// <summary>After training, put back the weights of the best epoch (not the last). Default: true.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "Unknown validation metric.");
        }

        if (Patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be at least 1.");
        }

        if (MinDelta < 0 || !double.IsFinite(MinDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "MinDelta must be a finite number ≥ 0.");
        }
    }

    /// <summary>A copy, so a running <c>Fit</c> never sees later changes.</summary>
    /// <returns>The copy.</returns>
    public EarlyStoppingOptions Clone() => (EarlyStoppingOptions)MemberwiseClone();

    /// <summary>Whether <paramref name="candidate"/> improves on <paramref name="best"/> for this metric.</summary>
    /// <param name="candidate">New value.</param>
    /// <param name="best">Best value so far (NaN when none).</param>
    /// <returns>True when it is better by more than <see cref="MinDelta"/>.</returns>
    public bool IsImprovement(double candidate, double best)
    {
        if (double.IsNaN(best))
        {
            return !double.IsNaN(candidate);
        }

        return Metric == ValidationMetric.Loss ? candidate < best - MinDelta : candidate > best + MinDelta;
    }
}
