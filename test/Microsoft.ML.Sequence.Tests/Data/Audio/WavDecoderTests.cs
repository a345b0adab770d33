using System.Buffers.Binary;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

[TestClass]
public sealed class WavDecoderTests
{
    private const string File = "clip.wav";

    [TestMethod]
    public void Pcm16MapsToMinusOneToOne()
    {
        byte[] wav = TestWav.Riff(TestWav.Format(1, 1, 16000, 16), TestWav.Chunk("data", TestWav.Pcm16(0, 16384, -32768, 32767, -1)));
        WavAudio audio = WavDecoder.Decode(wav, File);
        CollectionAssert.AreEqual(new[] { 0f, 0.5f, -1f, 32767f / 32768f, -1f / 32768f }, audio.Samples);
        Assert.AreEqual(16000, audio.SampleRate);
        Assert.AreEqual(1, audio.Channels);
        Assert.AreEqual(16, audio.BitsPerSample);
    }

    [TestMethod]
    public void Pcm8IsUnsignedAround128()
    {
        byte[] wav = TestWav.Riff(TestWav.Format(1, 1, 8000, 8), TestWav.Chunk("data", [128, 255, 0, 192]));
        WavAudio audio = WavDecoder.Decode(wav, File);
        CollectionAssert.AreEqual(new[] { 0f, 127f / 128f, -1f, 0.5f }, audio.Samples);
    }

    [TestMethod]
    public void Pcm24IsSignExtended()
    {
        // 0x400000 = +0.5, 0x800000 = −1, 0xFFFFFF = −1/2^23, 0x7FFFFF = max; 4 samples × 3 bytes, plain header.
        byte[] data = [0x00, 0x00, 0x40, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        WavAudio audio = WavDecoder.Decode(TestWav.Riff(TestWav.Format(1, 1, 48000, 24), TestWav.Chunk("data", data)), File);
        CollectionAssert.AreEqual(new[] { 0.5f, -1f, (float)(-1 / 8388608.0), (float)(8388607 / 8388608.0) }, audio.Samples);
    }

    [TestMethod]
    public void Pcm32AndFloatSamplesRead()
    {
        var int32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(int32, int.MinValue / 2);
        BinaryPrimitives.WriteInt32LittleEndian(int32.AsSpan(4), int.MinValue);
        CollectionAssert.AreEqual(new[] { -0.5f, -1f },
            WavDecoder.Decode(TestWav.Riff(TestWav.Format(1, 1, 16000, 32), TestWav.Chunk("data", int32)), File).Samples);

        var float32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(float32, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(float32.AsSpan(4), -0.75f);
        WavAudio audio = WavDecoder.Decode(TestWav.Riff(TestWav.Format(3, 1, 16000, 32), TestWav.Chunk("data", float32)), File);
        CollectionAssert.AreEqual(new[] { 0.25f, -0.75f }, audio.Samples);
        Assert.IsTrue(audio.IsFloat);

        var float64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(float64, -0.125);
        CollectionAssert.AreEqual(new[] { -0.125f },
            WavDecoder.Decode(TestWav.Riff(TestWav.Format(3, 1, 16000, 64), TestWav.Chunk("data", float64)), File).Samples);
    }

    [TestMethod]
    public void ChannelsAreMixedDownByTheirMean()
    {
        // Two stereo frames: (0.5, −0.25) and (−1, −1).
        byte[] wav = TestWav.Riff(TestWav.Format(1, 2, 44100, 16), TestWav.Chunk("data", TestWav.Pcm16(16384, -8192, -32768, -32768)));
        WavAudio audio = WavDecoder.Decode(wav, File);
        CollectionAssert.AreEqual(new[] { 0.125f, -1f }, audio.Samples);
        Assert.AreEqual(2, audio.Channels);
    }

    [TestMethod]
    public void UnknownChunksAnywhereAreSkippedIncludingOddSizedOnes()
    {
        byte[] list = TestWav.Chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0"u8.ToArray()); // 17 bytes: odd, padded
        byte[] fact = TestWav.Chunk("fact", [3, 0, 0, 0]);
        byte[] wav = TestWav.Riff(list, TestWav.Format(1, 1, 16000, 16), fact, TestWav.Chunk("data", TestWav.Pcm16(100, -100, 300)),
            TestWav.Chunk("cue ", [1, 2, 3]));
        CollectionAssert.AreEqual(new[] { 100 / 32768f, -100 / 32768f, 300 / 32768f }, WavDecoder.Decode(wav, File).Samples);
    }

    [TestMethod]
    public void ExtensibleHeadersWithPcmAndFloatSubFormatsRead()
    {
        byte[] data = [0x00, 0x00, 0x40, 0x00, 0x00, 0xC0]; // stereo 24-bit frame (+0.5, −0.5)
        WavAudio pcm = WavDecoder.Decode(TestWav.Riff(TestWav.ExtensibleFormat(1, 2, 22050, 24), TestWav.Chunk("data", data)), File);
        CollectionAssert.AreEqual(new[] { 0f }, pcm.Samples);
        Assert.AreEqual(22050, pcm.SampleRate);

        var float32 = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(float32, 0.375f);
        WavAudio ieee = WavDecoder.Decode(TestWav.Riff(TestWav.ExtensibleFormat(3, 1, 8000, 32), TestWav.Chunk("data", float32)), File);
        CollectionAssert.AreEqual(new[] { 0.375f }, ieee.Samples);
    }

    [TestMethod]
    public void EmptyDataChunkGivesNoSamples()
    {
        byte[] wav = TestWav.Riff(TestWav.Format(1, 1, 16000, 16), TestWav.Chunk("data", []));
        Assert.IsEmpty(WavDecoder.Decode(wav, File).Samples);
    }

    [TestMethod]
    public void BadFilesNameTheFileAndTheProblem()
    {
        byte[] format = TestWav.Format(1, 1, 16000, 16);
        byte[] data = TestWav.Chunk("data", TestWav.Pcm16(1, 2));
        byte[] good = TestWav.Riff(format, data);
        byte[] truncated = good[..^2];
        byte[] badAlign = TestWav.Riff(format, data);
        BinaryPrimitives.WriteUInt16LittleEndian(badAlign.AsSpan(12 + 8 + 12), 4);
        byte[] odd = TestWav.Riff(format, TestWav.Chunk("data", [1, 2, 3]));
        var cases = new (byte[] Bytes, string Problem)[]
        {
            ([1, 2, 3], "too short"),
            ("OggS\0\0\0\0WAVEfmt "u8.ToArray(), "not a RIFF file"),
            (TestWav.Riff(format, data).Select((b, i) => i is >= 8 and < 12 ? (byte)'A' : b).ToArray(), "not 'WAVE'"),
            (TestWav.Riff(data), "no 'fmt ' chunk"),
            (TestWav.Riff(format), "no 'data' chunk"),
            (truncated, "truncated"),
            (badAlign, "block size"),
            (odd, "whole number"),
            (TestWav.Riff(TestWav.Format(0x55, 1, 16000, 16), data), "encoding 0x0055"),
            (TestWav.Riff(TestWav.Format(1, 1, 16000, 12), data), "12-bit PCM"),
            (TestWav.Riff(TestWav.Format(3, 1, 16000, 16), data), "16-bit float"),
            (TestWav.Riff(TestWav.Format(1, 0, 16000, 16), data), "0 channels"),
            (TestWav.Riff(TestWav.Format(1, 1, 0, 16), data), "sample rate of 0"),
            (TestWav.Riff(TestWav.Chunk("fmt ", [1, 0, 1, 0]), data), "at least 16"),
        };
        foreach ((byte[] bytes, string problem) in cases)
        {
            var e = Assert.ThrowsExactly<AudioFormatException>(() => WavDecoder.Decode(bytes, "/data/x.wav", "LoadAudio: row 7"));
            StringAssert.StartsWith(e.Message, "LoadAudio: row 7: /data/x.wav: ", problem);
            StringAssert.Contains(e.Message, problem);
            Assert.AreEqual("/data/x.wav", e.FilePath);
        }
    }
}
