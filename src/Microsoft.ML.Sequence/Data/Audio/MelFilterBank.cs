namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Triangular filters equally spaced on the mel scale, as weights over the bins of a one-sided power spectrum.</summary>
/// <remarks>The mel scale is HTK's, mel(f) = 2595 · log10(1 + f / 700). Band m (0-based) of M has its corners at points
/// m, m + 1, m + 2 of M + 2 points equally spaced in mel from the lowest to the highest frequency; its weight at bin k
/// (frequency k · rate / fftSize) rises linearly from 0 at the left corner to 1 at the centre and falls to 0 at the
/// right corner. The weights are not area-normalised (HTK's and torchaudio's default).</remarks>
internal static class MelFilterBank
{
    /// <summary>The mel value of a frequency.</summary>
    public static double HertzToMel(double hertz) => 2595.0 * Math.Log10(1.0 + (hertz / 700.0));

    /// <summary>The frequency of a mel value.</summary>
    public static double MelToHertz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>The centre frequency of each band.</summary>
    public static double[] CentreFrequencies(int bands, double minHertz, double maxHertz) =>
        Enumerable.Range(1, bands).Select(i => Corner(i, bands, minHertz, maxHertz)).ToArray();

    /// <summary>The weights, [bands, fftSize / 2 + 1], row-major.</summary>
    /// <param name="bands">Number of bands.</param>
    /// <param name="fftSize">FFT length (the spectrum has fftSize / 2 + 1 bins).</param>
    /// <param name="sampleRate">Sample rate (Hz).</param>
    /// <param name="minHertz">Left corner of the first band.</param>
    /// <param name="maxHertz">Right corner of the last band.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A band covers no bin (too many bands for the FFT size).</exception>
    public static float[] Weights(int bands, int fftSize, int sampleRate, double minHertz, double maxHertz)
    {
        int bins = (fftSize / 2) + 1;
        var weights = new float[bands * bins];
        for (int m = 0; m < bands; m++)
        {
            double left = Corner(m, bands, minHertz, maxHertz);
            double centre = Corner(m + 1, bands, minHertz, maxHertz);
            double right = Corner(m + 2, bands, minHertz, maxHertz);
            bool any = false;
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * sampleRate / fftSize;
                double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                if (w > 0)
                {
                    weights[(m * bins) + k] = (float)w;
                    any = true;
                }
            }

            if (!any)
            {
                throw new ArgumentOutOfRangeException("MelBands",
                    $"mel band {m} ({left:F1}–{right:F1} Hz) holds no FFT bin: {bands} bands are too many for FftSize {fftSize} at {sampleRate} Hz (bins are {(double)sampleRate / fftSize:F1} Hz apart); use fewer bands or a larger FFT.");
            }
        }

        return weights;
    }

    private static double Corner(int point, int bands, double minHertz, double maxHertz)
    {
        double low = HertzToMel(minHertz), high = HertzToMel(maxHertz);
        return MelToHertz(low + ((high - low) * point / (bands + 1)));
    }
}
