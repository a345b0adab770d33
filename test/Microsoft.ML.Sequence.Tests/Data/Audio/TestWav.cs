using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

/// <summary>Writes WAV bytes for tests (no audio tools needed): any encoding our decoder reads, extra chunks anywhere.</summary>
internal static class TestWav
{
    /// <summary>A RIFF/WAVE file: <paramref name="chunks"/> in order after the form type.</summary>
    public static byte[] Riff(params byte[][] chunks)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        stream.Write(new byte[4]);
        stream.Write("WAVE"u8);
        foreach (byte[] chunk in chunks)
        {
            stream.Write(chunk);
        }

        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>A chunk: id, size, body and a pad byte after an odd size.</summary>
    public static byte[] Chunk(string id, byte[] body)
    {
        var bytes = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id).CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)body.Length);
        body.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>A plain 16-byte <c>fmt </c> chunk.</summary>
    public static byte[] Format(ushort tag, int channels, int rate, int bits)
    {
        var body = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(body, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bits);
        return Chunk("fmt ", body);
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE <c>fmt </c> chunk with sub-format <paramref name="subFormat"/> (1 PCM, 3 float).</summary>
    public static byte[] ExtensibleFormat(ushort subFormat, int channels, int rate, int bits)
    {
        byte[] plain = Format(0xFFFE, channels, rate, bits);
        var body = new byte[40];
        plain.AsSpan(8, 16).CopyTo(body);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), subFormat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(body, 26);
        return Chunk("fmt ", body);
    }

    /// <summary>16-bit PCM samples, interleaved.</summary>
    public static byte[] Pcm16(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    /// <summary>A 16-bit mono file of <paramref name="samples"/> (in [−1, 1]) at <paramref name="rate"/>.</summary>
    public static byte[] Mono16(float[] samples, int rate) =>
        Riff(Format(1, 1, rate, 16), Chunk("data", Pcm16(samples.Select(s => (short)Math.Clamp(Math.Round(s * 32767.0), -32768, 32767)).ToArray())));

    /// <summary>A sine of <paramref name="hertz"/> with amplitude <paramref name="amplitude"/>.</summary>
    public static float[] Sine(double hertz, int rate, int count, double amplitude = 0.5) =>
        Enumerable.Range(0, count).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * hertz * n / rate))).ToArray();
}
