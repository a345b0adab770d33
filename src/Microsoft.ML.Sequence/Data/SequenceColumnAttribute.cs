namespace Microsoft.ML.Sequence.Data;

/// <summary>Maps a property or field of a row class to a column: its name, where a text loader finds it, and a fixed
/// vector size.</summary>
/// <remarks>Without this attribute a public property or field maps to a column of the same name.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class SequenceColumnAttribute : Attribute
{
    /// <summary>Maps the member to a column named like the member.</summary>
    public SequenceColumnAttribute()
    {
    }

    /// <summary>Maps the member to the column <paramref name="name"/>.</summary>
    /// <param name="name">Column name.</param>
    public SequenceColumnAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>Column name, or null for the member's name. Default: null.</summary>
    public string? Name { get; }

    /// <summary>For delimited text: zero-based field index in each line, or -1 to find the field by header name
    /// (<see cref="HeaderNames"/>, else the column name). Default: -1.</summary>
    public int SourceIndex { get; set; } = -1;

    /// <summary>For delimited text with a header: accepted header spellings for this column, e.g.
    /// <c>["sentence", "content"]</c>; null means the column name. Default: null.</summary>
    public string[]? HeaderNames { get; set; }

    /// <summary>For array members: the fixed vector length, or 0 for variable length. Default: 0.</summary>
    public int Size { get; set; }
}
