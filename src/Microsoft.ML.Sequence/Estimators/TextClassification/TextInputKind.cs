namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>What a classifier's text column holds.</summary>
internal enum TextInputKind
{
    /// <summary>A Text column, tokenised inside.</summary>
    Text = 0,

    /// <summary>A vector of Text: tokens as given.</summary>
    Tokens = 1,

    /// <summary>A vector of keys: the key values are the vocabulary.</summary>
    Keys = 2,
}
