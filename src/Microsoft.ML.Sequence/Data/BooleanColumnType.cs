namespace Microsoft.ML.Sequence.Data;

/// <summary>A column of booleans; values are <see cref="bool"/>.</summary>
public sealed class BooleanColumnType : SequenceColumnType
{
    private BooleanColumnType()
        : base(typeof(bool))
    {
    }

    /// <summary>The single instance.</summary>
    public static BooleanColumnType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(SequenceColumnType? other) => other is BooleanColumnType;

    /// <summary>The type's name.</summary>
    /// <returns><c>Boolean</c>.</returns>
    public override string ToString() => "Boolean";
}
