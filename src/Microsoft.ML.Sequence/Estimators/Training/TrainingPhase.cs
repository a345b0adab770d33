namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>What a <see cref="TrainingProgress"/> report marks.</summary>
public enum TrainingPhase
{
    /// <summary>Every N optimiser steps during an epoch.</summary>
    Step = 0,

    /// <summary>The end of an epoch, after validation.</summary>
    EpochEnd = 1,
}
