using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Reads RIFF/WAVE files: PCM integer samples of 8 (unsigned), 16, 24 or 32 bits, or IEEE float of 32 or 64
/// bits, in the plain (<c>WAVE_FORMAT_PCM</c>, <c>WAVE_FORMAT_IEEE_FLOAT</c>) or extensible
/// (<c>WAVE_FORMAT_EXTENSIBLE</c> with a PCM or float sub-format) header, any channel count and sample rate.</summary>
/// <remarks>The file is walked chunk by chunk (id, little-endian size, body, a pad byte after an odd size), so chunks
/// other than <c>fmt </c> and <c>data</c> (<c>LIST</c>, <c>fact</c>, <c>cue </c>, …) are skipped wherever they sit.
/// Integer samples map to [−1, 1) by dividing by 2^(bits−1) (8-bit samples are unsigned around 128); float samples are
/// kept as stored. Channels are mixed down by their mean. Anything else (a missing or short header, a chunk running past
/// the end of the file, an inconsistent block size, a compressed encoding) is an <see cref="AudioFormatException"/> that
/// names the file and the problem; nothing is guessed.</remarks>
internal static class WavDecoder
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    // The tail shared by the KSDATAFORMAT_SUBTYPE_* GUIDs; their first two bytes are the plain format code.
    private static readonly byte[] SubFormatTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads and decodes the WAV file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="location">Where the file was met, for messages, or null.</param>
    /// <returns>The decoded audio.</returns>
    /// <exception cref="AudioFormatException">The file is not a WAV file this decoder reads.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static WavAudio Read(string path, string? location = null) => Decode(File.ReadAllBytes(path), path, location);

    /// <summary>Decodes the bytes of a WAV file.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="location">Where the file was met, for messages, or null.</param>
    /// <returns>The decoded audio.</returns>
    /// <exception cref="AudioFormatException">The bytes are not a WAV file this decoder reads.</exception>
    public static WavAudio Decode(ReadOnlySpan<byte> bytes, string path, string? location = null)
    {
        AudioFormatException Fail(string problem) => new(path, problem, location);

        if (bytes.Length < 12)
        {
            throw Fail($"{bytes.Length} bytes is too short for a RIFF/WAVE header (12 bytes).");
        }

        string riff = FourCc(bytes[..4]);
        if (riff != "RIFF")
        {
            throw Fail(riff is "RIFX" or "RF64" or "BW64"
                ? $"'{riff}' files are not supported (only little-endian 'RIFF' WAVE files)."
                : $"not a RIFF file (it starts with '{Printable(bytes[..4])}', not 'RIFF').");
        }

        if (FourCc(bytes[8..12]) != "WAVE")
        {
            throw Fail($"a RIFF file of form '{Printable(bytes[8..12])}', not 'WAVE'.");
        }

        Format? format = null;
        int dataOffset = -1, dataLength = 0;
        int position = 12;
        while (position + 8 <= bytes.Length)
        {
            string id = FourCc(bytes.Slice(position, 4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(position + 4, 4));
            int body = position + 8;
            if (size > (uint)(bytes.Length - body))
            {
                throw Fail($"chunk '{Printable(bytes.Slice(position, 4))}' at byte {position} declares {size} bytes but only {bytes.Length - body} remain (a truncated or corrupt file).");
            }

            if (id == "fmt ")
            {
                format = ParseFormat(bytes.Slice(body, (int)size), Fail);
            }
            else if (id == "data" && dataOffset < 0)
            {
                dataOffset = body;
                dataLength = (int)size;
            }

            // Chunks are word-aligned: a pad byte follows an odd size (a writer may omit it at the very end).
            position = body + (int)size + (int)(size & 1);
        }

        if (format is null)
        {
            throw Fail("no 'fmt ' chunk (the header that gives the encoding, channels and sample rate).");
        }

        if (dataOffset < 0)
        {
            throw Fail("no 'data' chunk.");
        }

        Format f = format.Value;
        if (dataLength % f.BlockAlign != 0)
        {
            throw Fail($"the 'data' chunk holds {dataLength} bytes, not a whole number of {f.BlockAlign}-byte sample frames ({f.Channels} channels × {f.BitsPerSample} bits).");
        }

        float[] samples = MixDown(bytes.Slice(dataOffset, dataLength), f);
        return new WavAudio(samples, f.SampleRate, f.Channels, f.BitsPerSample, f.IsFloat);
    }

    private static Format ParseFormat(ReadOnlySpan<byte> chunk, Func<string, AudioFormatException> fail)
    {
        if (chunk.Length < 16)
        {
            throw fail($"the 'fmt ' chunk has {chunk.Length} bytes; at least 16 are needed.");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        ushort encoding = tag;
        if (tag == FormatExtensible)
        {
            if (chunk.Length < 40 || BinaryPrimitives.ReadUInt16LittleEndian(chunk[16..]) < 22)
            {
                throw fail($"the 'fmt ' chunk says WAVE_FORMAT_EXTENSIBLE but holds {chunk.Length} bytes, not the 40 that format needs.");
            }

            ReadOnlySpan<byte> subFormat = chunk.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatTail))
            {
                throw fail($"WAVE_FORMAT_EXTENSIBLE with sub-format {Convert.ToHexString(subFormat)}, which is neither PCM nor IEEE float.");
            }

            encoding = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        bool isFloat = encoding == FormatFloat;
        if (encoding != FormatPcm && !isFloat)
        {
            throw fail($"encoding 0x{encoding:X4} is not supported; only PCM (1) and IEEE float (3) samples are (convert with e.g. 'sox in.wav -e signed -b 16 out.wav').");
        }

        if (channels < 1)
        {
            throw fail("the header gives 0 channels.");
        }

        if (sampleRate < 1 || sampleRate > int.MaxValue)
        {
            throw fail($"the header gives a sample rate of {sampleRate} Hz.");
        }

        bool bitsOk = isFloat ? bits is 32 or 64 : bits is 8 or 16 or 24 or 32;
        if (!bitsOk)
        {
            throw fail(isFloat
                ? $"{bits}-bit float samples are not supported (only 32 and 64)."
                : $"{bits}-bit PCM samples are not supported (only 8, 16, 24 and 32).");
        }

        if (blockAlign != channels * (bits / 8))
        {
            throw fail($"the header's block size is {blockAlign} bytes but {channels} channels of {bits} bits need {channels * (bits / 8)} (a corrupt header).");
        }

        return new Format(channels, (int)sampleRate, blockAlign, bits, isFloat);
    }

    private static float[] MixDown(ReadOnlySpan<byte> data, Format format)
    {
        int frames = data.Length / format.BlockAlign;
        int width = format.BitsPerSample / 8;
        var samples = new float[frames];
        double scale = 1.0 / format.Channels;
        for (int frame = 0; frame < frames; frame++)
        {
            ReadOnlySpan<byte> block = data.Slice(frame * format.BlockAlign, format.BlockAlign);
            double sum = 0;
            for (int channel = 0; channel < format.Channels; channel++)
            {
                sum += Sample(block.Slice(channel * width, width), format);
            }

            samples[frame] = (float)(sum * scale);
        }

        return samples;
    }

    private static double Sample(ReadOnlySpan<byte> b, Format format) => (format.BitsPerSample, format.IsFloat) switch
    {
        (8, false) => (b[0] - 128) / 128.0,
        (16, false) => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
        (24, false) => ((b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8) / 8388608.0,
        (32, false) => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
        (32, true) => BinaryPrimitives.ReadSingleLittleEndian(b),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
    };

    private static string FourCc(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return text.ToString();
    }

    private readonly record struct Format(int Channels, int SampleRate, int BlockAlign, int BitsPerSample, bool IsFloat);
}
