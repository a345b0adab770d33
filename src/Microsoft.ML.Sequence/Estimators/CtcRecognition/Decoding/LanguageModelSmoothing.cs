namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>How a <see cref="CharacterLanguageModel"/> gives probability to character n-grams it has not seen.</summary>
public enum LanguageModelSmoothing
{
    /// <summary>Add-k (Lidstone): P(c | h) = (count(h c) + k) / (count(h) + k · V) with V the vocabulary size (characters,
    /// unknown and end of line), taken at the longest suffix of the history h that occurred in training
    /// (<see cref="CharacterLanguageModelOptions.AddKCount"/> is k).</summary>
    AddK,

    /// <summary>Interpolated Kneser–Ney (Chen and Goodman 1998): an absolute discount D
    /// (<see cref="CharacterLanguageModelOptions.Discount"/>) off every seen count, the freed mass given to the next lower
    /// order, whose counts are continuation counts (how many different characters precede an n-gram); the lowest order
    /// interpolates with the uniform distribution.</summary>
    KneserNey,
}
