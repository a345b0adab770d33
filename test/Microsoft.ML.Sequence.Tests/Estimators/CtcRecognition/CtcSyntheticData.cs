using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>Tiny synthetic recognition data: feature sequences where each character is a few noisy frames of its own
/// one-hot pattern, separated by silence, and images of striped glyphs; labels are random strings over "abcd" (repeats
/// included).</summary>
internal static class CtcSyntheticData
{
    public const string Alphabet = "abcd";
    public const int FeatureSize = 6;

    public sealed class FeatureRow
    {
        public string Text { get; set; } = "";

        public float[] Features { get; set; } = [];
    }

    public sealed class ImageRow
    {
        public string Text { get; set; } = "";

        public string ImagePath { get; set; } = "";
    }

    public static string[] Labels(int count, int seed, int maxLength = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, random.Next(1, maxLength + 1)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()))
            .ToArray();
    }

    /// <summary>Frames: 2–3 of silence, then per character 3–5 frames of its pattern and 2–3 of silence; noise σ 0.3.</summary>
    public static float[] Features(string text, Random random)
    {
        var frames = new List<float[]>();
        void Add(int hot, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var frame = new float[FeatureSize];
                for (int f = 0; f < FeatureSize; f++)
                {
                    frame[f] = (f == hot ? 1f : 0f) + (float)(0.3 * Gaussian(random));
                }

                frames.Add(frame);
            }
        }

        Add(4, random.Next(2, 4));
        foreach (char c in text)
        {
            Add(Alphabet.IndexOf(c), random.Next(3, 6));
            Add(4, random.Next(2, 4));
        }

        return frames.SelectMany(f => f).ToArray();
    }

    public static IDataView FeatureView(MLContext ml, string[] labels, int seed)
    {
        var random = new Random(seed);
        FeatureRow[] rows = labels.Select(l => new FeatureRow { Text = l, Features = Features(l, random) }).ToArray();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 0, FeatureSize);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Writes one PNG per label (height 20, 8 pixels per glyph plus 3–5 of space, black on white; each glyph a
    /// different stripe pattern) and returns the rows.</summary>
    public static ImageRow[] WriteImages(string folder, string[] labels, int seed)
    {
        var random = new Random(seed);
        var rows = new ImageRow[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            const int height = 20;
            var columns = new List<bool[]>();
            void Space(int count)
            {
                for (int k = 0; k < count; k++)
                {
                    columns.Add(new bool[height]);
                }
            }

            Space(random.Next(3, 6));
            foreach (char c in labels[i])
            {
                int glyph = Alphabet.IndexOf(c);
                for (int x = 0; x < 8; x++)
                {
                    var column = new bool[height];
                    for (int y = 3; y < height - 3; y++)
                    {
                        column[y] = glyph switch
                        {
                            0 => y < 10,                 // a: upper block
                            1 => y >= 10,                // b: lower block
                            2 => x % 4 < 2,              // c: vertical stripes
                            _ => y % 4 < 2,              // d: horizontal stripes
                        };
                    }

                    columns.Add(column);
                }

                Space(random.Next(3, 6));
            }

            int width = columns.Count;
            var pixels = new byte[width * height * 4];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = ((y * width) + x) * 4;
                    byte v = columns[x][y] ? (byte)random.Next(0, 60) : (byte)random.Next(200, 256);
                    (pixels[p], pixels[p + 1], pixels[p + 2], pixels[p + 3]) = (v, v, v, 255);
                }
            }

            string name = $"line{i}.png";
            using (MLImage image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels))
            {
                image.Save(Path.Combine(folder, name));
            }

            rows[i] = new ImageRow { Text = labels[i], ImagePath = name };
        }

        return rows;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
