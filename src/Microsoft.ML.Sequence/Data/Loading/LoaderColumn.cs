namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>A column a delimited-text loader produces, and the field(s) it reads.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type: text, boolean, number, key, or a vector of these.</param>
/// <param name="SourceIndex">Zero-based field index, or -1 to find the field in the header by <paramref name="HeaderNames"/>
/// (else <paramref name="Name"/>). A fixed-size vector reads <c>Size</c> consecutive fields from here; a variable-length
/// vector reads every field from here to the end of the line.</param>
/// <param name="HeaderNames">Accepted header spellings, e.g. <c>["sentence", "content"]</c>; null means the column name.</param>
public sealed record LoaderColumn(string Name, SequenceColumnType Type, int SourceIndex = -1, IReadOnlyList<string>? HeaderNames = null)
{
    /// <summary>The header spellings this column accepts.</summary>
    public IReadOnlyList<string> AcceptedHeaderNames => HeaderNames is { Count: > 0 } ? HeaderNames : [Name];
}
