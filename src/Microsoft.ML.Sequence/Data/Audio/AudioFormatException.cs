namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>An audio file cannot be read: not a RIFF/WAVE file, a corrupt or truncated header or chunk, or an encoding
/// that is not supported. The message names the file (and, when raised by <c>LoadAudio</c>, the row and column) and
/// what is wrong, e.g. <c>LoadAudio: row 3, column 'AudioPath': /data/a.wav: no 'fmt ' chunk before the end of the file</c>.</summary>
public sealed class AudioFormatException : FormatException
{
    /// <summary>Creates the exception; the message is built from the location, the file and the problem.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="location">Where the file was met (e.g. <c>LoadAudio: row 3, column 'AudioPath'</c>), or null. Default: null.</param>
    public AudioFormatException(string filePath, string problem, string? location = null)
        : base(location is null ? $"{filePath}: {problem}" : $"{location}: {filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
