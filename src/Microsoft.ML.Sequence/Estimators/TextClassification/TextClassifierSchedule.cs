namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>How a text classifier's learning rate changes over the optimiser steps of training.</summary>
public enum TextClassifierSchedule
{
    /// <summary>The learning rate stays at <see cref="RecurrentTextClassifierOptions.LearningRate"/>.</summary>
    Constant = 0,

    /// <summary>Cosine decay from the learning rate to 0 over all steps of <see cref="RecurrentTextClassifierOptions.MaxEpochs"/>
    /// epochs, after <see cref="RecurrentTextClassifierOptions.WarmupSteps"/> steps of linear warm-up.</summary>
    Cosine = 1,

    /// <summary>One cycle: warm-up over the first 30% of all steps to the learning rate, then annealing towards 0.</summary>
    OneCycle = 2,
}
