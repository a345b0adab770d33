namespace Microsoft.ML.Sequence;

/// <summary>Severity of a <see cref="SequenceContext.Log"/> message.</summary>
public enum SequenceLogLevel
{
    /// <summary>Detail for diagnosing problems.</summary>
    Trace,

    /// <summary>Normal progress.</summary>
    Information,

    /// <summary>Something that works but is probably not what was meant (e.g. a setting with no effect).</summary>
    Warning,

    /// <summary>A failure.</summary>
    Error,
}
