using Microsoft.ML.Sequence.Data.Audio;

namespace Microsoft.ML;

/// <summary>The audio front-end on ML.NET's transforms catalog: <c>mlContext.Transforms.LoadAudio(…)</c> reads WAV files
/// into samples, <c>mlContext.Transforms.LogMelSpectrogram(…)</c> turns samples into log-mel frames.</summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var features = ml.Transforms.LoadAudio("Audio", audioFolder: root, inputColumnName: "AudioPath")
///     .Append(ml.Transforms.LogMelSpectrogram("Features", inputColumnName: "Audio"));
/// IDataView frames = features.Fit(data).Transform(data);   // Features: Vector&lt;Single, *, 80&gt;
/// </code>
/// </example>
public static class AudioTransformsExtensions
{
    /// <summary>Reads the WAV file named in each row (PCM 8/16/24/32-bit or float, any channels, any rate) as one channel
    /// of samples at <paramref name="sampleRate"/>, lazily.</summary>
    /// <param name="catalog">The transforms catalog of an <c>MLContext</c>.</param>
    /// <param name="outputColumnName">The samples column: Vector&lt;Single&gt; of variable length, annotated with
    /// <c>SampleRate</c> (Int32).</param>
    /// <param name="audioFolder">The folder relative paths are resolved against; null for the current directory.</param>
    /// <param name="inputColumnName">The Text column of paths; null uses <paramref name="outputColumnName"/>.</param>
    /// <param name="sampleRate">The output's sample rate (Hz); files at other rates are resampled. Default: 16000.</param>
    /// <returns>The estimator.</returns>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, string outputColumnName, string? audioFolder,
        string? inputColumnName = null, int sampleRate = 16000) =>
        catalog.LoadAudio(new AudioLoadingOptions
        {
            OutputColumnName = outputColumnName,
            AudioFolder = audioFolder,
            InputColumnName = inputColumnName ?? outputColumnName,
            SampleRate = sampleRate,
        });

    /// <summary>Reads WAV files with every option.</summary>
    /// <param name="catalog">The transforms catalog of an <c>MLContext</c>.</param>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, AudioLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AudioLoadingEstimator(options);
    }

    /// <summary>Log-mel spectrogram frames of a samples column (by default 25 ms Hann windows every 10 ms at 16 kHz,
    /// a 512-point FFT, 80 mel bands, log floor 1e-10; see <see cref="LogMelSpectrogramOptions"/>).</summary>
    /// <param name="catalog">The transforms catalog of an <c>MLContext</c>.</param>
    /// <param name="outputColumnName">The features column: Vector&lt;Single, *, melBands&gt;, frame-major.</param>
    /// <param name="inputColumnName">The samples column (Vector&lt;Single&gt; with a <c>SampleRate</c> annotation, as
    /// <c>LoadAudio</c> writes); null uses <paramref name="outputColumnName"/>.</param>
    /// <param name="melBands">Features per frame; null keeps <see cref="LogMelSpectrogramOptions.MelBands"/>.</param>
    /// <param name="windowLength">Samples per frame; null keeps <see cref="LogMelSpectrogramOptions.WindowLength"/>.</param>
    /// <param name="hopLength">Samples between frames; null keeps <see cref="LogMelSpectrogramOptions.HopLength"/>.</param>
    /// <param name="fftSize">FFT length; null keeps <see cref="LogMelSpectrogramOptions.FftSize"/>.</param>
    /// <param name="logFloor">Smallest band energy before the log; null keeps <see cref="LogMelSpectrogramOptions.LogFloor"/>.</param>
    /// <param name="window">The frame taper; null keeps <see cref="LogMelSpectrogramOptions.Window"/>.</param>
    /// <returns>The estimator.</returns>
    public static LogMelSpectrogramEstimator LogMelSpectrogram(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, int? melBands = null, int? windowLength = null, int? hopLength = null, int? fftSize = null,
        double? logFloor = null, SpectrogramWindow? window = null)
    {
        var options = new LogMelSpectrogramOptions { OutputColumnName = outputColumnName, InputColumnName = inputColumnName ?? outputColumnName };
        options.MelBands = melBands ?? options.MelBands;
        options.WindowLength = windowLength ?? options.WindowLength;
        options.HopLength = hopLength ?? options.HopLength;
        options.FftSize = fftSize ?? options.FftSize;
        options.LogFloor = logFloor ?? options.LogFloor;
        options.Window = window ?? options.Window;
        return catalog.LogMelSpectrogram(options);
    }

    /// <summary>Log-mel spectrogram frames with every option.</summary>
    /// <param name="catalog">The transforms catalog of an <c>MLContext</c>.</param>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    public static LogMelSpectrogramEstimator LogMelSpectrogram(this TransformsCatalog catalog, LogMelSpectrogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LogMelSpectrogramEstimator(options);
    }
}
