namespace Microsoft.ML.Sequence.Data;

/// <summary>One column of a <see cref="SequenceSchema"/>: its name and type.</summary>
/// <param name="Name">Column name, unique within its schema (ordinal comparison).</param>
/// <param name="Type">Column type.</param>
public sealed record SchemaColumn(string Name, SequenceColumnType Type)
{
    /// <summary>Column name, unique within its schema (ordinal comparison).</summary>
    public string Name { get; init; } = !string.IsNullOrEmpty(Name) ? Name : throw new ArgumentException("A column needs a name.", nameof(Name));

    /// <summary>Column type.</summary>
    public SequenceColumnType Type { get; init; } = Type ?? throw new ArgumentNullException(nameof(Type));

    /// <summary>The column as <c>Name: Type</c>.</summary>
    /// <returns>For example <c>Tokens: Vector&lt;Text&gt;</c>.</returns>
    public override string ToString() => $"{Name}: {Type}";
}
