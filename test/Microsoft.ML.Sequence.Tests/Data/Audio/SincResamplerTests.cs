using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

[TestClass]
public sealed class SincResamplerTests
{
    // Away from the ends, where the filter reaches past the signal and sees zeros.
    private const int Edge = 200;

    [TestMethod]
    [DataRow(44100, 16000, 1000.0)]
    [DataRow(22050, 16000, 3000.0)]
    [DataRow(8000, 16000, 1000.0)]
    [DataRow(16001, 16000, 440.0)] // 16,000 phases: taps computed per sample, not tabulated
    [DataRow(48000, 16000, 6500.0)] // within the pass band (below 0.8 of the new Nyquist frequency)
    public void SineInPassBandMatchesTheSineAtTheNewRate(int from, int to, double hertz)
    {
        float[] input = TestWav.Sine(hertz, from, from / 4);
        float[] output = new SincResampler(from, to).Resample(input);
        Assert.AreEqual((long)Math.Ceiling(input.Length * (double)to / from), output.Length);
        float[] expected = TestWav.Sine(hertz, to, output.Length);
        double worst = 0;
        for (int n = Edge; n < output.Length - Edge; n++)
        {
            worst = Math.Max(worst, Math.Abs(output[n] - expected[n]));
        }

        Assert.IsLessThan(2e-3, worst, $"largest error {worst} for {hertz} Hz, {from} → {to} Hz");
    }

    [TestMethod]
    [DataRow(44100, 16000, 12000.0)] // would alias to 4 kHz
    [DataRow(48000, 16000, 9000.0)]  // would alias to 7 kHz
    public void ToneAboveTheNewNyquistFrequencyIsRemovedNotAliased(int from, int to, double hertz)
    {
        float[] input = TestWav.Sine(hertz, from, from / 4);
        float[] output = new SincResampler(from, to).Resample(input);
        double rms = Math.Sqrt(output.Skip(Edge).SkipLast(Edge).Average(v => (double)v * v));
        // The input's RMS is 0.5 / √2 ≈ 0.35; 80 dB of attenuation leaves about 3.5e-5.
        Assert.IsLessThan(2e-4, rms, $"RMS {rms} left of a {hertz} Hz tone after {from} → {to} Hz");
    }

    [TestMethod]
    public void EqualRatesCopy()
    {
        float[] input = [0.1f, -0.2f, 0.3f];
        float[] output = new SincResampler(16000, 16000).Resample(input);
        CollectionAssert.AreEqual(input, output);
        Assert.AreNotSame(input, output);
    }

    [TestMethod]
    [DataRow(8000, 16000)]
    [DataRow(44100, 16000)]
    [DataRow(11025, 16000)]
    public void ConstantSignalKeepsItsLevel(int from, int to)
    {
        // The filter's gain at 0 Hz is 1: a constant stays that constant away from the ends.
        float[] output = new SincResampler(from, to).Resample(Enumerable.Repeat(0.25f, from / 10).ToArray());
        foreach (float value in output.Skip(Edge).SkipLast(Edge))
        {
            Assert.AreEqual(0.25, value, 1e-4);
        }
    }
}
