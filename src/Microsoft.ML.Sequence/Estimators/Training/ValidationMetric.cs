namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>The validation figure that picks the best epoch and drives early stopping.</summary>
public enum ValidationMetric
{
    /// <summary>The task's natural quality figure: accuracy for classification, token accuracy for tagging, 1 − CER for CTC recognition, validation BLEU-4 of greedy captions for captioning. Higher is better.</summary>
    Accuracy = 0,

    /// <summary>Mean loss on the validation set. Lower is better.</summary>
    Loss = 1,

    /// <summary>Macro-averaged F1 over classes (classification) or span F1 (tagging). Higher is better.</summary>
    F1 = 2,
}
