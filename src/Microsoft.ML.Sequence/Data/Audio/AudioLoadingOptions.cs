namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Options of <see cref="AudioLoadingEstimator"/> (<c>mlContext.Transforms.LoadAudio</c>): which column holds
/// the WAV paths, where they are relative to, and the one sample rate of the output column.</summary>
/// <remarks>Each property states its default. The estimator validates and copies the options; the fitted
/// <see cref="AudioLoadingTransformer"/> stores all of them in model.zip (the folder too, as ML.NET's
/// <c>LoadImages</c> stores its image folder).</remarks>
public sealed class AudioLoadingOptions
{
    /// <summary>Input column: Text, one WAV file path per row, relative to <see cref="AudioFolder"/> (or absolute).
    /// Default: "AudioPath".</summary>
    public string InputColumnName { get; set; } = "AudioPath";

    /// <summary>Output column: the samples, Vector&lt;Single&gt; of variable length, mixed down to one channel and resampled
    /// to <see cref="SampleRate"/>, annotated with <c>SampleRate</c> (Int32). Default: "Audio".</summary>
    public string OutputColumnName { get; set; } = "Audio";

    /// <summary>The folder relative paths are resolved against; null resolves them against the current directory at the
    /// time the rows are read. Default: null.</summary>
    public string? AudioFolder { get; set; }

    /// <summary>The sample rate (Hz) of the output column, from 1,000 to 384,000: files at another rate are resampled
    /// (Kaiser-windowed sinc, 80 dB stop band from 0.9 of the lower Nyquist frequency). Default: 16000.</summary>
    public int SampleRate { get; set; } = 16000;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">A column name is empty or the rate is out of range; the message names the option.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(InputColumnName))
        {
            throw new ArgumentException("InputColumnName must be a column name.", nameof(InputColumnName));
        }

        if (string.IsNullOrWhiteSpace(OutputColumnName))
        {
            throw new ArgumentException("OutputColumnName must be a column name.", nameof(OutputColumnName));
        }

        if (SampleRate is < 1000 or > 384_000)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, $"SampleRate must be from 1000 to 384000 Hz; got {SampleRate}.");
        }
    }

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public AudioLoadingOptions Clone() => (AudioLoadingOptions)MemberwiseClone();
}
