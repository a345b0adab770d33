namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Changes a signal's sample rate by band-limited interpolation: each output sample is the input convolved with
/// a Kaiser-windowed sinc low-pass centred on the output instant.</summary>
/// <remarks>
/// <para>Output sample n sits at input time t = n · from / to (in input samples) and is
/// y[n] = Σ_k x[k] · h(t − k), with h(u) = 2·fc·sinc(2·fc·u) · kaiser(u / L), |u| ≤ L, where sinc(v) = sin(πv)/(πv).
/// The cut-off fc = 0.45 · min(1, to/from) cycles per input sample (0.9 of the lower Nyquist frequency), so going down
/// in rate the same filter removes what the new rate cannot hold (no aliasing) and going up it removes the images.
/// The Kaiser window (β = 7.86) is designed for 80 dB of stop-band attenuation over a transition band from 0.8 to 1.0
/// of the lower Nyquist frequency, which sets the half-length L = 25 / min(1, to/from) input samples (Kaiser's formula
/// N = (A − 7.95) / (14.36 · Δf)). Samples outside the signal count as zero.</para>
/// <para>When from/to reduces to p output phases with p ≤ 4,096, the p sets of taps are computed once; otherwise they
/// are computed per output sample. The output has ⌈N · to / from⌉ samples for N input samples.</para>
/// </remarks>
internal sealed class SincResampler
{
    private const double Beta = 7.857;      // 0.1102 · (80 − 8.7): Kaiser's β for 80 dB
    private const double HalfLengthAtUnitRatio = 25.0; // (80 − 7.95) / (14.36 · 0.1) / 2, in input samples
    private const int MaxTabulatedPhases = 4096;
    private readonly long _from;
    private readonly long _to;
    private readonly double _cutoff;
    private readonly double _halfLength;
    private readonly int _reach;
    private readonly float[][]? _phases;
    private readonly long _phaseCount;
    private readonly long _step;

    /// <summary>Creates a resampler from <paramref name="fromRate"/> to <paramref name="toRate"/>.</summary>
    /// <param name="fromRate">The input's sample rate (Hz), at least 1.</param>
    /// <param name="toRate">The output's sample rate (Hz), at least 1.</param>
    public SincResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toRate, 1);
        _from = fromRate;
        _to = toRate;
        double ratio = Math.Min(1.0, (double)toRate / fromRate);
        _cutoff = 0.45 * ratio;
        _halfLength = HalfLengthAtUnitRatio / ratio;
        _reach = (int)Math.Ceiling(_halfLength);
        long gcd = Gcd(fromRate, toRate);
        _phaseCount = toRate / gcd;
        _step = fromRate / gcd;
        if (_phaseCount <= MaxTabulatedPhases && fromRate != toRate)
        {
            _phases = new float[_phaseCount][];
            for (long phase = 0; phase < _phaseCount; phase++)
            {
                _phases[phase] = Taps((double)phase / _phaseCount);
            }
        }
    }

    /// <summary>Resamples <paramref name="input"/>; returns a copy when the rates are equal.</summary>
    /// <param name="input">Samples at the input rate.</param>
    /// <returns>⌈N · to / from⌉ samples at the output rate.</returns>
    public float[] Resample(ReadOnlySpan<float> input)
    {
        if (_from == _to)
        {
            return input.ToArray();
        }

        long count = (input.Length * _to + _from - 1) / _from;
        var output = new float[count];
        for (long n = 0; n < count; n++)
        {
            // t = n · from / to = m · step + r · step / p with n = m · p + r: the integer part and the phase, exactly.
            long m = n / _phaseCount, r = n % _phaseCount;
            long whole = m * _step + r * _step / _phaseCount;
            long phase = r * _step % _phaseCount;
            float[] taps = _phases?[phase] ?? Taps((double)phase / _phaseCount);
            long first = whole - _reach;
            double sum = 0;
            for (int j = 0; j < taps.Length; j++)
            {
                long k = first + j;
                if (k >= 0 && k < input.Length)
                {
                    sum += taps[j] * input[(int)k];
                }
            }

            output[n] = (float)sum;
        }

        return output;
    }

    // Taps for input samples whole − reach … whole + reach when the output instant is at whole + fraction.
    private float[] Taps(double fraction)
    {
        var taps = new float[2 * _reach + 1];
        for (int j = 0; j < taps.Length; j++)
        {
            double u = fraction - (j - _reach);
            taps[j] = Math.Abs(u) > _halfLength ? 0f : (float)(2 * _cutoff * Sinc(2 * _cutoff * u) * Kaiser(u / _halfLength));
        }

        return taps;
    }

    private static double Sinc(double v) => v == 0 ? 1.0 : Math.Sin(Math.PI * v) / (Math.PI * v);

    private static double Kaiser(double x) => BesselI0(Beta * Math.Sqrt(Math.Max(0, 1 - (x * x)))) / BesselI0(Beta);

    // The modified Bessel function of the first kind, order 0, by its power series (converges fast for β < 20).
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, quarter = x * x / 4;
        for (int k = 1; k < 60 && term > 1e-12 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }

        return sum;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
