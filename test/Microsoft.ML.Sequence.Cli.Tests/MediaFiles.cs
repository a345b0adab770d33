using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.ML.Sequence.Data.Synthetic;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary>Tiny image and audio data sets written by the tests themselves: rendered words (text-line images), synthetic
/// scenes with captions, and tone sequences as WAV files; each a TSV whose paths are relative to the TSV's folder.</summary>
internal static class MediaFiles
{
    private static readonly string[] Words =
        ["cat", "dog", "sun", "map", "red", "top", "ant", "bed", "cup", "net", "pin", "toe", "art", "den", "mat", "pad"];

    /// <summary>Text-line images of short words (DejaVu Sans, 32 px high) in <paramref name="folder"/>/img, and a
    /// ImagePath/Text TSV in <paramref name="folder"/>.</summary>
    public static string WordImages(string folder, int count, int offset)
    {
        Directory.CreateDirectory(Path.Combine(folder, "img"));
        var tsv = new StringBuilder("ImagePath\tText\n");
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans");
        using var font = new SKFont(typeface, 22);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int i = 0; i < count; i++)
        {
            string word = Words[(i + offset) % Words.Length];
            string name = $"img/w{i + offset}.png";
            using var surface = SKSurface.Create(new SKImageInfo(16 + 14 * word.Length, 32));
            surface.Canvas.Clear(SKColors.White);
            surface.Canvas.DrawText(word, 8, 24, font, paint);
            using SKImage image = surface.Snapshot();
            using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, name), png.ToArray());
            tsv.Append(name).Append('\t').Append(word).Append('\n');
        }

        string path = Path.Combine(folder, "lines.tsv");
        File.WriteAllText(path, tsv.ToString());
        return path;
    }

    /// <summary>Synthetic scenes (64×64) with their captions: ImagePath/Caption pair TSVs (several rows per image) for the
    /// training and validation parts, in <paramref name="folder"/>.</summary>
    public static (string Train, string Validation) Scenes(string folder, int trainCount, int validationCount)
    {
        SyntheticSceneSet scenes = SyntheticScenes.Generate(Path.Combine(folder, "scenes"),
            new SyntheticSceneOptions { TrainCount = trainCount, ValidationCount = validationCount, TestCount = 1, HeldOutCount = 1, Seed = 1 });
        string Write(string name, IEnumerable<SceneImage> part)
        {
            var tsv = new StringBuilder("ImagePath\tCaption\n");
            foreach (SceneImage scene in part)
            {
                foreach (string caption in scene.Captions)
                {
                    tsv.Append("scenes/").Append(scene.FileName).Append('\t').Append(caption).Append('\n');
                }
            }

            string path = Path.Combine(folder, name);
            File.WriteAllText(path, tsv.ToString());
            return path;
        }

        return (Write("train.tsv", scenes.Train), Write("validation.tsv", scenes.Validation));
    }

    /// <summary>"Spoken" digit strings: each digit a 0.12 s tone of its own pitch (16 kHz, 16-bit PCM), a short gap between;
    /// AudioPath/Text TSV in <paramref name="folder"/>.</summary>
    public static string ToneDigits(string folder, int count, int seed)
    {
        Directory.CreateDirectory(Path.Combine(folder, "wav"));
        var random = new Random(seed);
        var tsv = new StringBuilder("AudioPath\tText\n");
        for (int i = 0; i < count; i++)
        {
            string digits = string.Concat(Enumerable.Range(0, 2 + random.Next(2)).Select(_ => (char)('0' + random.Next(3))));
            var samples = new List<short>();
            foreach (char digit in digits)
            {
                double frequency = 400 + 300 * (digit - '0');
                samples.AddRange(Enumerable.Range(0, 1920).Select(t => (short)(8000 * Math.Sin(2 * Math.PI * frequency * t / 16000))));
                samples.AddRange(new short[640]);
            }

            string name = string.Create(CultureInfo.InvariantCulture, $"wav/u{seed}-{i}.wav");
            File.WriteAllBytes(Path.Combine(folder, name), Wav(samples));
            tsv.Append(name).Append('\t').Append(digits).Append('\n');
        }

        string path = Path.Combine(folder, "speech.tsv");
        File.WriteAllText(path, tsv.ToString());
        return path;
    }

    private static byte[] Wav(List<short> samples)
    {
        var bytes = new byte[44 + 2 * samples.Count];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(bytes, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), 16000);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), 32000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(34), 16);
        Encoding.ASCII.GetBytes("data").CopyTo(bytes, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), (uint)(2 * samples.Count));
        for (int i = 0; i < samples.Count; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44 + 2 * i), samples[i]);
        }

        return bytes;
    }
}
