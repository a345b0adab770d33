namespace Microsoft.ML.Sequence.Data;

/// <summary>Marks a <see cref="long"/> (or <c>long[]</c>) member as a key column (or a vector of keys) with
/// <see cref="Count"/> keys.</summary>
/// <remarks>Keys are 1-based; 0 means missing and is PAD (embedding row 0).</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class KeyColumnAttribute : Attribute
{
    /// <summary>Marks a key member.</summary>
    /// <param name="count">Number of keys (largest valid key), at least 1.</param>
    public KeyColumnAttribute(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
    }

    /// <summary>Number of keys (largest valid key).</summary>
    public long Count { get; }
}
