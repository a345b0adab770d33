namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>A data file holds something a loader cannot read. The message names the file, the 1-based line and the
/// column, e.g. <c>train.tsv line 418, column "Label": empty value</c>.</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception; the message is built from the location and the problem.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="lineNumber">1-based line number.</param>
    /// <param name="column">The column's name (quoted in the message) or a description such as <c>field 3</c>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="quoteColumn">True to quote <paramref name="column"/> as a name. Default: true.</param>
    /// <param name="innerException">The underlying error, if any. Default: null.</param>
    public DataFormatException(string filePath, long lineNumber, string column, string problem, bool quoteColumn = true,
        Exception? innerException = null)
        : base($"{filePath} line {lineNumber}, column {(quoteColumn ? $"\"{column}\"" : column)}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Column = column;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number.</summary>
    public long LineNumber { get; }

    /// <summary>The column's name, or a description such as <c>field 3</c>.</summary>
    public string Column { get; }
}
