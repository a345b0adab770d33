using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

[TestClass]
public sealed class LogMelSpectrogramTests
{
    private static LogMelSpectrogramTransformer Transformer(LogMelSpectrogramOptions options, int rate = 16000)
    {
        options.Validate();
        return new LogMelSpectrogramTransformer(options, rate);
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 1)]
    [DataRow(399, 1)]
    [DataRow(400, 1)]
    [DataRow(559, 1)]
    [DataRow(560, 2)]
    [DataRow(16000, 98)] // 1 + ⌊(16000 − 400) / 160⌋
    public void FrameCountFollowsTheFormula(int samples, int frames)
    {
        LogMelSpectrogramTransformer model = Transformer(new LogMelSpectrogramOptions());
        Assert.AreEqual(frames, model.FrameCount(samples));
        float[] features = model.Compute([TestWav.Sine(440, 16000, samples)])[0];
        Assert.AreEqual(frames * 80, features.Length);
    }

    [TestMethod]
    [DataRow(1000.0)]
    [DataRow(3000.0)]
    [DataRow(250.0)]
    public void PureToneLandsInTheBandCentredNearestToIt(double hertz)
    {
        var options = new LogMelSpectrogramOptions { MelBands = 40 };
        LogMelSpectrogramTransformer model = Transformer(options);
        float[] features = model.Compute([TestWav.Sine(hertz, 16000, 8000)])[0];
        double[] centres = MelFilterBank.CentreFrequencies(40, 0, 8000);
        int nearest = Enumerable.Range(0, 40).MinBy(m => Math.Abs(centres[m] - hertz));
        int frames = features.Length / 40;
        Assert.AreEqual(model.FrameCount(8000), frames);
        for (int t = 0; t < frames; t++)
        {
            float[] frame = features.AsSpan(t * 40, 40).ToArray();
            int loudest = Array.IndexOf(frame, frame.Max());
            Assert.AreEqual(nearest, loudest, $"frame {t}: {hertz} Hz is loudest in band {loudest} ({centres[loudest]:F0} Hz), not {nearest} ({centres[nearest]:F0} Hz)");
        }
    }

    [TestMethod]
    [DataRow(SpectrogramWindow.Rectangular, 512, 512)]
    [DataRow(SpectrogramWindow.Hann, 400, 512)]
    [DataRow(SpectrogramWindow.Hamming, 300, 1024)]
    public void PowerSpectrumSatisfiesParseval(SpectrogramWindow window, int length, int fft)
    {
        // Σ_n |x_n w_n|² = (1/N) (|X_0|² + 2 Σ_{0<k<N/2} |X_k|² + |X_{N/2}|²) for a real frame zero-padded to N (even).
        var random = new Random(5);
        float[] signal = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var options = new LogMelSpectrogramOptions { Window = window, WindowLength = length, FftSize = fft, HopLength = 150, MelBands = 10 };
        LogMelSpectrogramTransformer model = Transformer(options);
        float[] power = model.PowerSpectra([signal])[0];
        int bins = (fft / 2) + 1;
        double[] taper = Window(window, length);
        int frames = model.FrameCount(signal.Length);
        Assert.AreEqual(frames * bins, power.Length);
        for (int t = 0; t < frames; t++)
        {
            double energy = 0;
            for (int n = 0; n < length; n++)
            {
                double v = signal[(t * 150) + n] * taper[n];
                energy += v * v;
            }

            double spectral = power[t * bins] + power[(t * bins) + bins - 1];
            for (int k = 1; k < bins - 1; k++)
            {
                spectral += 2 * power[(t * bins) + k];
            }

            Assert.AreEqual(energy, spectral / fft, energy * 1e-4, $"frame {t}");
        }
    }

    [TestMethod]
    public void ImpulseGivesTheLogOfEachFiltersWeightSum()
    {
        // A unit impulse at the start of a rectangular frame has |X_k|² = 1 in every bin, so band m's energy is the sum
        // of its weights, which the filter definition gives by hand: Σ_k max(0, triangle_m(k · rate / N)).
        var options = new LogMelSpectrogramOptions { Window = SpectrogramWindow.Rectangular, WindowLength = 256, FftSize = 256, MelBands = 12 };
        LogMelSpectrogramTransformer model = Transformer(options, rate: 8000);
        var impulse = new float[256];
        impulse[0] = 1;
        float[] features = model.Compute([impulse])[0];
        double low = MelFilterBank.HertzToMel(0), high = MelFilterBank.HertzToMel(4000);
        for (int m = 0; m < 12; m++)
        {
            double left = MelFilterBank.MelToHertz(low + ((high - low) * m / 13));
            double centre = MelFilterBank.MelToHertz(low + ((high - low) * (m + 1) / 13));
            double right = MelFilterBank.MelToHertz(low + ((high - low) * (m + 2) / 13));
            double sum = 0;
            for (int k = 0; k <= 128; k++)
            {
                double f = k * 8000.0 / 256;
                sum += Math.Max(0, f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre));
            }

            Assert.AreEqual(Math.Log(sum), features[m], 1e-4, $"band {m}");
        }
    }

    [TestMethod]
    [DataRow(1e-10)]
    [DataRow(1e-3)]
    public void SilenceSitsAtTheLogFloor(double floor)
    {
        LogMelSpectrogramTransformer model = Transformer(new LogMelSpectrogramOptions { LogFloor = floor });
        float[] features = model.Compute([new float[4000]])[0];
        Assert.AreEqual(model.FrameCount(4000) * 80, features.Length);
        foreach (float value in features)
        {
            Assert.AreEqual((float)Math.Log(floor), value);
        }

        // A quiet tone is floored in the bands it does not reach and not in its own.
        float[] quiet = model.Compute([TestWav.Sine(1000, 16000, 4000, amplitude: 1e-3)])[0];
        Assert.IsTrue(quiet.All(v => v >= (float)Math.Log(floor)));
        Assert.IsTrue(quiet.Any(v => v > (float)Math.Log(floor) + 1));
    }

    [TestMethod]
    public void UtteranceNormalizationCentresAndScalesEachBand()
    {
        // Noise whose level rises 100-fold over the row, so every band varies from frame to frame.
        var random = new Random(9);
        float[] signal = Enumerable.Range(0, 6000).Select(n => (float)((random.NextDouble() - 0.5) * Math.Pow(100, n / 6000.0) * 0.005)).ToArray();
        LogMelSpectrogramTransformer raw = Transformer(new LogMelSpectrogramOptions { MelBands = 20 });
        LogMelSpectrogramTransformer mean = Transformer(new LogMelSpectrogramOptions { MelBands = 20, Normalization = SpectrogramNormalization.UtteranceMean });
        LogMelSpectrogramTransformer scaled = Transformer(new LogMelSpectrogramOptions { MelBands = 20, Normalization = SpectrogramNormalization.UtteranceMeanVariance });
        float[] before = raw.Compute([signal])[0], centred = mean.Compute([signal])[0], standard = scaled.Compute([signal])[0];
        int frames = before.Length / 20;
        for (int band = 0; band < 20; band++)
        {
            double[] column = Enumerable.Range(0, frames).Select(t => (double)before[(t * 20) + band]).ToArray();
            double average = column.Average(), deviation = Math.Sqrt(column.Average(v => (v - average) * (v - average)));
            for (int t = 0; t < frames; t++)
            {
                Assert.AreEqual(column[t] - average, centred[(t * 20) + band], 1e-4, $"band {band}, frame {t}");
                Assert.AreEqual((column[t] - average) / Math.Max(deviation, 1e-5), standard[(t * 20) + band], 1e-3, $"band {band}, frame {t}");
            }
        }

        // A constant band (silence at the floor) has no spread: it becomes 0, not NaN.
        Assert.IsTrue(scaled.Compute([new float[2000]])[0].All(v => v == 0));
    }

    [TestMethod]
    public void BatchedRowsEqualRowsOneAtATime()
    {
        LogMelSpectrogramTransformer model = Transformer(new LogMelSpectrogramOptions { MelBands = 20 });
        float[][] signals = [TestWav.Sine(300, 16000, 3000), [], TestWav.Sine(2000, 16000, 100), TestWav.Sine(5000, 16000, 7777)];
        float[][] batched = model.Compute(signals);
        for (int i = 0; i < signals.Length; i++)
        {
            CollectionAssert.AreEqual(model.Compute([signals[i]])[0], batched[i], $"row {i}");
        }
    }

    [TestMethod]
    public void OptionsOutOfRangeAreRejectedByName()
    {
        void Rejects(string name, LogMelSpectrogramOptions options, int rate = 16000)
        {
            var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.LogMelSpectrogram(
                new LogMelSpectrogramOptions
                {
                    WindowLength = options.WindowLength, HopLength = options.HopLength, FftSize = options.FftSize, MelBands = options.MelBands,
                    LogFloor = options.LogFloor, MinFrequency = options.MinFrequency, MaxFrequency = options.MaxFrequency, SampleRate = rate,
                }));
            Assert.AreEqual(name, e.ParamName, e.Message);
        }

        Rejects("WindowLength", new LogMelSpectrogramOptions { WindowLength = 600 });
        Rejects("HopLength", new LogMelSpectrogramOptions { HopLength = 0 });
        Rejects("FftSize", new LogMelSpectrogramOptions { FftSize = 1 });
        Rejects("LogFloor", new LogMelSpectrogramOptions { LogFloor = 0 });
        Rejects("MelBands", new LogMelSpectrogramOptions { MelBands = 0 });
        Rejects("MelBands", new LogMelSpectrogramOptions { MelBands = 200, FftSize = 512 });
        Rejects("MaxFrequency", new LogMelSpectrogramOptions { MaxFrequency = 9000 });
        Rejects("MaxFrequency", new LogMelSpectrogramOptions { MinFrequency = 300, MaxFrequency = 200 });
    }

    private static double[] Window(SpectrogramWindow kind, int length) => Enumerable.Range(0, length).Select(n => kind switch
    {
        SpectrogramWindow.Hann => 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / length)),
        SpectrogramWindow.Hamming => 0.54 - (0.46 * Math.Cos(2 * Math.PI * n / length)),
        _ => 1.0,
    }).ToArray();
}
