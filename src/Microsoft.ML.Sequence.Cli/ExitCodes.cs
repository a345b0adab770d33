namespace Microsoft.ML.Sequence.Cli;

/// <summary>The process exit codes of mlseq.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug, or the machine ran out of something); the message says which.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: a usage error, a missing file, an unknown column, a bad row, a model that does not load.</summary>
    public const int BadInput = 2;

    /// <summary>Ctrl+C: training stopped after the current batch (the best model so far was still written), or was
    /// aborted by a second Ctrl+C (nothing written).</summary>
    public const int Interrupted = 130;
}
