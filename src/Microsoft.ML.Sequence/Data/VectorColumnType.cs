namespace Microsoft.ML.Sequence.Data;

/// <summary>A column of vectors of a scalar item type, of fixed or variable length.</summary>
/// <remarks>Values are arrays of the item's CLR type (<c>string[]</c>, <c>long[]</c> for keys, <c>float[]</c>, …).</remarks>
public sealed class VectorColumnType : SequenceColumnType
{
    /// <summary>A vector type.</summary>
    /// <param name="itemType">Type of each element: text, boolean, number or key (not a vector).</param>
    /// <param name="size">Fixed length, or 0 for variable length. Default: 0.</param>
    public VectorColumnType(SequenceColumnType itemType, int size = 0)
        : base(ItemClrType(itemType).MakeArrayType())
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ItemType = itemType;
        Size = size;
    }

    /// <summary>Type of each element.</summary>
    public SequenceColumnType ItemType { get; }

    /// <summary>Fixed length, or 0 when the length varies from row to row.</summary>
    public int Size { get; }

    /// <summary>True when every value has <see cref="Size"/> elements.</summary>
    public bool IsFixedSize => Size > 0;

    /// <inheritdoc/>
    public override bool Equals(SequenceColumnType? other) =>
        other is VectorColumnType vector && vector.Size == Size && vector.ItemType.Equals(ItemType);

    /// <summary>The type's name.</summary>
    /// <returns>For example <c>Vector&lt;Text&gt;</c> or <c>Vector&lt;Float32, 3&gt;</c>.</returns>
    public override string ToString() => Size == 0 ? $"Vector<{ItemType}>" : $"Vector<{ItemType}, {Size}>";

    private static Type ItemClrType(SequenceColumnType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        if (itemType is VectorColumnType)
        {
            throw new ArgumentException("A vector's item type cannot be a vector.", nameof(itemType));
        }

        return itemType.ClrType;
    }
}
