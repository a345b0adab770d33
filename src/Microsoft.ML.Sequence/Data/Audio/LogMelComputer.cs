using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Computes log-mel spectrograms (see <see cref="LogMelSpectrogramOptions"/> for the exact definition) with
/// TorchSharp's real FFT: all frames of a signal go through one <c>torch.fft.rfft</c> and one product with the filter
/// bank.</summary>
internal sealed class LogMelComputer
{
    private readonly LogMelSpectrogramOptions _options;
    private readonly float[] _window;
    private readonly float[] _filters;

    /// <summary>Prepares the window and the filter bank for <paramref name="sampleRate"/>.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="sampleRate">The input's sample rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">The frequency range or band count does not fit the rate and FFT size.</exception>
    public LogMelComputer(LogMelSpectrogramOptions options, int sampleRate)
    {
        _options = options;
        SampleRate = sampleRate;
        double max = options.ResolveMaxFrequency(sampleRate);
        _filters = MelFilterBank.Weights(options.MelBands, options.FftSize, sampleRate, options.MinFrequency, max);
        _window = WindowValues(options.Window, options.WindowLength);
    }

    /// <summary>The input's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>Bins of the one-sided spectrum: FftSize / 2 + 1.</summary>
    public int Bins => (_options.FftSize / 2) + 1;

    /// <summary>Frames for <paramref name="samples"/> input samples (the formula in <see cref="LogMelSpectrogramOptions"/>).</summary>
    public int FrameCount(int samples) => samples == 0 ? 0
        : samples < _options.WindowLength ? 1
        : 1 + ((samples - _options.WindowLength) / _options.HopLength);

    /// <summary>The log-mel features of each signal, frame-major ([frames × bands] flattened).</summary>
    public float[][] LogMel(IReadOnlyList<float[]> signals) => Run(signals, logMel: true);

    /// <summary>The power spectra |X_k|² of each signal, frame-major ([frames × bins] flattened); for tests and pictures.</summary>
    public float[][] PowerSpectra(IReadOnlyList<float[]> signals) => Run(signals, logMel: false);

    private float[][] Run(IReadOnlyList<float[]> signals, bool logMel)
    {
        var results = new float[signals.Count][];
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Tensor window = tensor(_window);
        Tensor filters = tensor(_filters, [_options.MelBands, Bins]).t();
        for (int i = 0; i < signals.Count; i++)
        {
            // One row at a time, so a row's numbers never depend on which rows share its batch (a batched product
            // would block the sums differently and move the last bit).
            results[i] = FrameCount(signals[i].Length) == 0 ? [] : Row(signals[i], window, filters, logMel);
        }

        return results;
    }

    private float[] Row(float[] signal, Tensor window, Tensor filters, bool logMel)
    {
        using DisposeScope scope = NewDisposeScope();
        // [frames, WindowLength] → [frames, bins] complex → power |X_k|² = re² + im² (a product, not pow(2): see Normalize).
        Tensor spectrum = view_as_real(fft.rfft(Frames(signal) * window, n: _options.FftSize, dim: 1));
        Tensor values = spectrum.mul(spectrum).sum(dim: -1);
        if (logMel)
        {
            using Scalar floor = _options.LogFloor;
            values = Normalize(values.matmul(filters).clamp_min(floor).log());
        }

        return TensorValues.ToArray<float>(values);
    }

    // Per band (column) over the row's frames (rows of the [frames, bands] matrix). Scalars are made explicitly and kept
    // alive with `using`: TorchSharp's Scalar frees its native value in a finalizer and is not tracked by dispose scopes,
    // so an implicit temporary (clamp_min(1e-5), pow(2) inside square()) can be finalized while libtorch still reads it —
    // seen once as "INTERNAL ASSERT FAILED at c10/core/Scalar.h:279" inside pow.
    private Tensor Normalize(Tensor logMel)
    {
        if (_options.Normalization == SpectrogramNormalization.None)
        {
            return logMel;
        }

        Tensor centred = logMel - logMel.mean([0], keepdim: true);
        if (_options.Normalization == SpectrogramNormalization.UtteranceMean)
        {
            return centred;
        }

        using Scalar smallest = 1e-5;
        return centred / logMel.std(0, unbiased: false, keepdim: true).clamp_min(smallest);
    }

    // [frames, WindowLength]: a short signal is zero-padded to one window; trailing samples past the last whole frame drop.
    private Tensor Frames(float[] signal)
    {
        int length = Math.Max(signal.Length, _options.WindowLength);
        var padded = new float[length];
        signal.CopyTo(padded, 0);
        return tensor(padded).unfold(0, _options.WindowLength, _options.HopLength);
    }

    private static float[] WindowValues(SpectrogramWindow kind, int length)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor window = kind switch
        {
            SpectrogramWindow.Hann => hann_window(length, periodic: true),
            SpectrogramWindow.Hamming => hamming_window(length, periodic: true),
            SpectrogramWindow.Blackman => blackman_window(length, periodic: true),
            SpectrogramWindow.Rectangular => ones(length),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown window {(int)kind}."),
        };
        return TensorValues.ToArray<float>(window.to_type(ScalarType.Float32));
    }
}
