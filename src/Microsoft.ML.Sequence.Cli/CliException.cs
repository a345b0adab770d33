namespace Microsoft.ML.Sequence.Cli;

/// <summary>A problem the person at the terminal can fix (a missing file, an unknown column, a bad row): printed as one
/// red line, exit code 2, no stack trace.</summary>
internal sealed class CliException(string message, Exception? inner = null) : Exception(message, inner);
