namespace Microsoft.ML.Sequence.Data;

/// <summary>The type of a column in a <see cref="SequenceSchema"/>: text, boolean, number, key or vector.</summary>
/// <remarks>
/// Each column type has one CLR type that cursors return for it (<see cref="ClrType"/>): <see cref="string"/> for text,
/// <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/> for scalars,
/// <see cref="long"/> for keys and an array of the item's CLR type for vectors. Vector values are arrays that callers
/// must treat as read-only.
/// </remarks>
public abstract class SequenceColumnType : IEquatable<SequenceColumnType>
{
    /// <summary>Creates a column type whose values have CLR type <paramref name="clrType"/>.</summary>
    /// <param name="clrType">The CLR type of a value.</param>
    protected SequenceColumnType(Type clrType)
    {
        ClrType = clrType ?? throw new ArgumentNullException(nameof(clrType));
    }

    /// <summary>The CLR type a cursor returns for a value of this column type.</summary>
    public Type ClrType { get; }

    /// <summary>True when two column types describe the same values.</summary>
    /// <param name="other">The other type.</param>
    /// <returns>True when equal.</returns>
    public abstract bool Equals(SequenceColumnType? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SequenceColumnType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (ToString() ?? string.Empty).GetHashCode(StringComparison.Ordinal);
}
