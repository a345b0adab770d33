namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Options of <see cref="LogMelSpectrogramEstimator"/> (<c>mlContext.Transforms.LogMelSpectrogram</c>): framing,
/// FFT, mel bands and the log floor.</summary>
/// <remarks>
/// <para>Each property states its default. Lengths are in samples of the input column's rate; the defaults are the
/// usual speech front-end at 16 kHz: 25 ms windows every 10 ms, a 512-point FFT, 80 mel bands from 0 Hz to the Nyquist
/// frequency.</para>
/// <para>For N input samples the output has T frames: T = 1 + ⌊(N − W) / H⌋ when N ≥ W (W = <see cref="WindowLength"/>,
/// H = <see cref="HopLength"/>; trailing samples that do not fill a window are dropped), T = 1 when 0 &lt; N &lt; W (the
/// one frame is zero-padded) and T = 0 when N = 0. Frame t covers samples t·H … t·H + W − 1, is multiplied by the
/// <see cref="Window"/>, zero-padded to <see cref="FftSize"/> and transformed; its power spectrum |X_k|², k = 0 …
/// FftSize / 2, is weighted by the mel filters (<see cref="MelBands"/> triangles equally spaced on HTK's mel scale
/// between <see cref="MinFrequency"/> and <see cref="MaxFrequency"/>) and each band's energy e becomes
/// ln(max(e, <see cref="LogFloor"/>)), then optionally normalised per row (<see cref="Normalization"/>).</para>
/// </remarks>
public sealed class LogMelSpectrogramOptions
{
    /// <summary>Input column: Vector&lt;Single&gt; of samples (from <c>LoadAudio</c>), annotated with <c>SampleRate</c>
    /// unless <see cref="SampleRate"/> is set. Default: "Audio".</summary>
    public string InputColumnName { get; set; } = "Audio";

    /// <summary>Output column: Vector&lt;Single, *, <see cref="MelBands"/>&gt;, frame-major (frame t's bands are slots
    /// t·MelBands … t·MelBands + MelBands − 1). Default: "Features".</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>Samples per frame (the window's length), from 2 to <see cref="FftSize"/>. Default: 400 (25 ms at 16 kHz).</summary>
    public int WindowLength { get; set; } = 400;

    /// <summary>Samples between the starts of successive frames, at least 1. Default: 160 (10 ms at 16 kHz).</summary>
    public int HopLength { get; set; } = 160;

    /// <summary>FFT length, from <see cref="WindowLength"/> to 65,536 (frames are zero-padded to it). Default: 512.</summary>
    public int FftSize { get; set; } = 512;

    /// <summary>Number of mel bands (features per frame), from 1 to 1,024; every band must cover at least one FFT bin.
    /// Default: 80.</summary>
    public int MelBands { get; set; } = 80;

    /// <summary>Lowest frequency (Hz) of the filters, from 0 to below <see cref="MaxFrequency"/>. Default: 0.</summary>
    public double MinFrequency { get; set; }

    /// <summary>Highest frequency (Hz) of the filters, at most the Nyquist frequency; null uses the Nyquist frequency
    /// (half the sample rate). Default: null.</summary>
    public double? MaxFrequency { get; set; }

    /// <summary>Band energies below this value are raised to it before the natural log, so silence gives
    /// ln(LogFloor) instead of −∞; positive. Default: 1e-10 (ln = −23.03).</summary>
    public double LogFloor { get; set; } = 1e-10;

    /// <summary>The taper applied to each frame. Default: <see cref="SpectrogramWindow.Hann"/>.</summary>
    public SpectrogramWindow Window { get; set; } = SpectrogramWindow.Hann;

    /// <summary>Per-row rescaling of the log energies, band by band. Default: <see cref="SpectrogramNormalization.None"/>.</summary>
    public SpectrogramNormalization Normalization { get; set; } = SpectrogramNormalization.None;

    /// <summary>The input's sample rate (Hz); null reads it from the input column's <c>SampleRate</c> annotation (which
    /// <c>LoadAudio</c> writes). When both are there they must agree. Default: null.</summary>
    public int? SampleRate { get; set; }

    /// <summary>Checks every option that does not depend on the sample rate.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it with the expected and actual values.</exception>
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

        Range(nameof(FftSize), FftSize, 2, 65536);
        Range(nameof(WindowLength), WindowLength, 2, FftSize);
        Range(nameof(HopLength), HopLength, 1, int.MaxValue);
        Range(nameof(MelBands), MelBands, 1, 1024);
        if (!(LogFloor > 0) || double.IsInfinity(LogFloor))
        {
            throw new ArgumentOutOfRangeException(nameof(LogFloor), LogFloor, $"LogFloor must be a positive finite number; got {LogFloor}.");
        }

        if (!(MinFrequency >= 0) || double.IsInfinity(MinFrequency))
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency, $"MinFrequency must be 0 or more Hz; got {MinFrequency}.");
        }

        if (MaxFrequency is double max && !(max > MinFrequency))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrequency), max, $"MaxFrequency must be above MinFrequency ({MinFrequency} Hz); got {max}.");
        }

        if (SampleRate is int rate)
        {
            Range(nameof(SampleRate), rate, 1, 384_000);
        }

        if (!Enum.IsDefined(Window))
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"Window must be one of {string.Join(", ", Enum.GetNames<SpectrogramWindow>())}; got {(int)Window}.");
        }

        if (!Enum.IsDefined(Normalization))
        {
            throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization,
                $"Normalization must be one of {string.Join(", ", Enum.GetNames<SpectrogramNormalization>())}; got {(int)Normalization}.");
        }
    }

    /// <summary>Checks the options that depend on the sample rate: the frequency range against its Nyquist frequency.</summary>
    /// <param name="sampleRate">The input's sample rate.</param>
    /// <returns>The highest filter frequency to use.</returns>
    internal double ResolveMaxFrequency(int sampleRate)
    {
        double nyquist = sampleRate / 2.0;
        double max = MaxFrequency ?? nyquist;
        if (max > nyquist)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrequency), max, $"MaxFrequency must be at most the Nyquist frequency {nyquist} Hz of {sampleRate} Hz audio; got {max}.");
        }

        if (MinFrequency >= max)
        {
            throw new ArgumentOutOfRangeException(nameof(MinFrequency), MinFrequency, $"MinFrequency must be below the highest filter frequency {max} Hz; got {MinFrequency}.");
        }

        return max;
    }

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public LogMelSpectrogramOptions Clone() => (LogMelSpectrogramOptions)MemberwiseClone();

    private static void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be from {min} to {max}; got {value}.");
        }
    }
}
