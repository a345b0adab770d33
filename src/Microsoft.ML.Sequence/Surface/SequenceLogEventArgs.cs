namespace Microsoft.ML.Sequence;

/// <summary>A message raised through <see cref="SequenceContext.Log"/>.</summary>
public sealed class SequenceLogEventArgs : EventArgs
{
    /// <summary>Creates the message.</summary>
    /// <param name="level">Severity.</param>
    /// <param name="source">Component that wrote it, e.g. <c>MapValueToKey</c>.</param>
    /// <param name="message">The text.</param>
    public SequenceLogEventArgs(SequenceLogLevel level, string source, string message)
    {
        Level = level;
        Source = source ?? string.Empty;
        Message = message ?? string.Empty;
    }

    /// <summary>Severity.</summary>
    public SequenceLogLevel Level { get; }

    /// <summary>Component that wrote the message.</summary>
    public string Source { get; }

    /// <summary>The text.</summary>
    public string Message { get; }

    /// <summary>The message as <c>[Level] Source: Message</c>.</summary>
    /// <returns>The formatted message.</returns>
    public override string ToString() => $"[{Level}] {Source}: {Message}";
}
