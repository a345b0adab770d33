namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Order in which a fitted vocabulary assigns keys to its ordinary values.</summary>
public enum KeyOrdering
{
    /// <summary>In order of first occurrence in the training data (ML.NET's default).</summary>
    ByOccurrence,

    /// <summary>In ordinal (culture-independent) order of the values.</summary>
    ByValue,
}
