namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>How <see cref="DelimitedTextLoader"/> splits lines into fields.</summary>
public sealed class DelimitedTextOptions
{
    /// <summary>Field separator: tab for TSV, comma for CSV. Default: '\t'.</summary>
    public char Separator { get; set; } = '\t';

    /// <summary>True when the first line names the fields; columns can then be found by header name. Default: false.</summary>
    public bool HasHeader { get; set; }

    /// <summary>True to honour double quotes: a field starting with <c>"</c> may contain separators, and <c>""</c> inside
    /// it stands for one quote. Quoted fields cannot span lines. Default: false.</summary>
    public bool AllowQuoting { get; set; }

    /// <summary>True to remove leading and trailing white space from every field. Default: false.</summary>
    public bool TrimWhitespace { get; set; }

    /// <summary>True to accept lines whose field count differs from the header's (or the first line's), as long as every
    /// column's fields are present. Default: false.</summary>
    public bool AllowRaggedRows { get; set; }

    /// <summary>Text of a missing value in a text column; it is read as the empty string. Null means none. Default: null.</summary>
    public string? MissingText { get; set; }

    internal void Validate()
    {
        if (Separator is '"' or '\n' or '\r')
        {
            throw new ArgumentOutOfRangeException(nameof(Separator), Separator, "The separator cannot be a quote or a line break.");
        }
    }
}
