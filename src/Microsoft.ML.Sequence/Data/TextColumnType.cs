namespace Microsoft.ML.Sequence.Data;

/// <summary>A column of text; values are <see cref="string"/> (never null; missing text is the empty string).</summary>
public sealed class TextColumnType : SequenceColumnType
{
    private TextColumnType()
        : base(typeof(string))
    {
    }

    /// <summary>The single instance.</summary>
    public static TextColumnType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(SequenceColumnType? other) => other is TextColumnType;

    /// <summary>The type's name.</summary>
    /// <returns><c>Text</c>.</returns>
    public override string ToString() => "Text";
}
