using System.Globalization;

namespace TextLineRecognition;

/// <summary>The sample's data: rendered lines under a cache folder, one sub-folder and one index (file<TAB>text) per
/// part. Training, validation and test use the training fonts; the held-out part uses a font family training never
/// sees. Every part has its own texts. A part whose index exists is not rendered again.</summary>
internal static class TextLineData
{
    private const string FontRoot = "/usr/share/fonts/truetype";

    public static readonly string[] TrainingFonts =
    [
        "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Oblique.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Italic.ttf", "dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansMono.ttf", "freefont/FreeSans.ttf",
        "freefont/FreeSansOblique.ttf", "freefont/FreeSansBold.ttf", "freefont/FreeSerif.ttf", "freefont/FreeSerifItalic.ttf",
        "freefont/FreeMono.ttf",
    ];

    /// <summary>The held-out family: Liberation (metric-compatible with Arial and Times New Roman), never used in training.</summary>
    public static readonly string[] HeldOutFonts =
        ["liberation/LiberationSans-Regular.ttf", "liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSans-Italic.ttf"];

    public sealed record Part(string Name, string Folder, LineRow[] Rows);

    /// <summary>The language model's text: the training lines plus every corpus line no part uses (so no validation,
    /// test or held-out text), one per line; written once next to the parts.</summary>
    public static string LanguageModelText(string dataDirectory, string cacheRoot, int seed, int trainLines, int validationLines, int testLines)
    {
        string path = Path.Combine(CacheFolder(cacheRoot, seed, trainLines, validationLines, testLines), "language-model.txt");
        if (!File.Exists(path))
        {
            List<string> corpus = TextLineCorpus.Load(dataDirectory, seed);
            int used = trainLines + validationLines + (2 * testLines);
            File.WriteAllLines(path + ".tmp", corpus.Take(trainLines).Concat(corpus.Skip(used)));
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return path;
    }

    private static string CacheFolder(string cacheRoot, int seed, int trainLines, int validationLines, int testLines) =>
        Path.Combine(cacheRoot, string.Create(CultureInfo.InvariantCulture, $"v1-seed{seed}-{trainLines}-{validationLines}-{testLines}"));

    public static IReadOnlyDictionary<string, Part> Prepare(string dataDirectory, string cacheRoot, int seed, int trainLines, int validationLines,
        int testLines)
    {
        string[] missing = TrainingFonts.Concat(HeldOutFonts).Select(f => Path.Combine(FontRoot, f)).Where(f => !File.Exists(f)).ToArray();
        if (missing.Length > 0)
        {
            throw new FileNotFoundException($"Missing fonts (install fonts-dejavu-core fonts-liberation fonts-freefont-ttf): {string.Join(", ", missing)}");
        }

        string cache = CacheFolder(cacheRoot, seed, trainLines, validationLines, testLines);
        var sizes = new (string Name, int Count, string[] Fonts)[]
        {
            ("train", trainLines, TrainingFonts), ("validation", validationLines, TrainingFonts), ("test", testLines, TrainingFonts),
            ("heldout", testLines, HeldOutFonts),
        };
        List<string>? corpus = null;
        var parts = new Dictionary<string, Part>();
        int offset = 0;
        for (int p = 0; p < sizes.Length; p++)
        {
            (string name, int count, string[] fonts) = sizes[p];
            string folder = Path.Combine(cache, name);
            string index = Path.Combine(cache, name + ".tsv");
            if (!File.Exists(index))
            {
                corpus ??= TextLineCorpus.Load(dataDirectory, seed);
                if (corpus.Count < offset + count)
                {
                    throw new InvalidOperationException($"The corpus has {corpus.Count} lines; {offset + count} are needed.");
                }

                Directory.CreateDirectory(folder);
                var random = new Random(HashCode.Combine(seed, p));
                using var renderer = new TextLineRenderer(fonts.Select(f => Path.Combine(FontRoot, f)));
                var lines = new List<string>();
                for (int i = 0; i < count; i++)
                {
                    string text = corpus[offset + i];
                    string file = string.Create(CultureInfo.InvariantCulture, $"{name}-{i:D5}.png");
                    renderer.Render(text, random, Path.Combine(folder, file));
                    lines.Add(file + "\t" + text);
                }

                File.WriteAllLines(index + ".tmp", lines);
                File.Move(index + ".tmp", index, overwrite: true);
            }

            offset += count;
            LineRow[] rows = File.ReadLines(index).Select(l => l.Split('\t', 2)).Select(f => new LineRow { ImagePath = f[0], Text = f[1] }).ToArray();
            parts[name] = new Part(name, folder, rows);
        }

        return parts;
    }
}

/// <summary>One line: its image file (relative to the part's folder) and its text.</summary>
internal sealed class LineRow
{
    public string ImagePath { get; set; } = "";

    public string Text { get; set; } = "";
}
