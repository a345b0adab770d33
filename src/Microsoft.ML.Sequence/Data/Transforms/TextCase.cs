namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Case folding applied by <see cref="NormalizeTextTransform"/>.</summary>
public enum TextCase
{
    /// <summary>Lower-case every letter (invariant culture).</summary>
    Lower,

    /// <summary>Upper-case every letter (invariant culture).</summary>
    Upper,

    /// <summary>Leave case as it is.</summary>
    Keep,
}
