using System.Text;

namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>Renders synthetic captioned scenes for image captioning: 1 to 3 objects (circle, square, triangle, star,
/// ring; six colours; small or large) in a row or one above the other, on grey gradient backgrounds with pixel noise,
/// each with 3 to 5 reference captions from varied templates ("a small red circle above a large blue square", "a large
/// blue square under a small red circle", …).</summary>
/// <remarks>
/// <para>Splits: train, validation and test share one distribution, in which the (colour, shape) pairs of
/// <see cref="HeldOutPairs"/> never occur; every held-out-composition scene holds at least one object of such a pair,
/// so it tests whether the model composes colours and shapes it only saw apart.</para>
/// <para>The PNGs and an index (<c>scenes.tsv</c>: split, file, captions joined by <c>|</c>) are written into the
/// folder; a later call with the same options reads the index back instead of rendering again (the cache).</para>
/// </remarks>
public static class SyntheticScenes
{
    private const string IndexFile = "scenes.tsv";
    private static readonly string[] Shapes = ["circle", "square", "triangle", "star", "ring"];

    /// <summary>The (colour, shape) pairs that occur only in the held-out composition split.</summary>
    public static IReadOnlyList<(string Colour, string Shape)> HeldOutPairs { get; } =
        [("red", "star"), ("green", "ring"), ("blue", "triangle"), ("yellow", "square"), ("purple", "circle"), ("orange", "ring")];

    /// <summary>Renders the scenes into <paramref name="folder"/>, or reads them back when the folder already holds a set
    /// made with the same options.</summary>
    /// <param name="folder">Where the PNGs and the index go (created if missing).</param>
    /// <param name="options">Counts, image size and seed; null uses the defaults.</param>
    /// <returns>The scenes by split.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SyntheticSceneSet Generate(string folder, SyntheticSceneOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new SyntheticSceneOptions();
        options.Validate();
        Directory.CreateDirectory(folder);
        string index = Path.Combine(folder, IndexFile);
        if (File.Exists(index) && File.ReadLines(index).FirstOrDefault() == "# " + options.Signature
            && TryRead(folder, index) is SyntheticSceneSet cached)
        {
            return cached;
        }

        var random = new Random(options.Seed);
        var splits = new Dictionary<string, List<SceneImage>>(StringComparer.Ordinal);
        var lines = new StringBuilder().AppendLine("# " + options.Signature);
        foreach ((string split, int count) in new[] { ("train", options.TrainCount), ("validation", options.ValidationCount),
                     ("test", options.TestCount), ("heldout", options.HeldOutCount) })
        {
            var scenes = new List<SceneImage>(count);
            for (int i = 0; i < count; i++)
            {
                (SceneObject[] objects, bool vertical) = Layout(options.ImageSize, random, heldOut: split == "heldout");
                string file = $"{split}-{i:D5}.png";
                File.WriteAllBytes(Path.Combine(folder, file), SceneRenderer.RenderPng(options.ImageSize, objects, random));
                string[] captions = SceneCaptions.For(objects, vertical, random);
                scenes.Add(new SceneImage(file, captions));
                lines.Append(split).Append('\t').Append(file).Append('\t').AppendJoin('|', captions).Append('\n');
            }

            splits[split] = scenes;
        }

        // Written last and renamed into place, so an interrupted run never leaves an index that looks complete.
        File.WriteAllText(index + ".tmp", lines.ToString());
        File.Move(index + ".tmp", index, overwrite: true);
        return new SyntheticSceneSet(folder, splits["train"], splits["validation"], splits["test"], splits["heldout"]);
    }

    private static SyntheticSceneSet? TryRead(string folder, string index)
    {
        var splits = new Dictionary<string, List<SceneImage>>(StringComparer.Ordinal)
        {
            ["train"] = [], ["validation"] = [], ["test"] = [], ["heldout"] = [],
        };
        foreach (string line in File.ReadLines(index).Skip(1))
        {
            string[] parts = line.Split('\t');
            if (parts.Length != 3 || !splits.TryGetValue(parts[0], out List<SceneImage>? list) || !File.Exists(Path.Combine(folder, parts[1])))
            {
                return null;
            }

            list.Add(new SceneImage(parts[1], parts[2].Split('|')));
        }

        return new SyntheticSceneSet(folder, splits["train"], splits["validation"], splits["test"], splits["heldout"]);
    }

    private static (SceneObject[] Objects, bool Vertical) Layout(int size, Random random, bool heldOut)
    {
        float k = size / 64f;
        int count = random.Next(1, 4);
        bool vertical = count == 2 && random.Next(2) == 1;
        var kinds = new List<(string Colour, string Shape, bool Large)>();
        int forced = heldOut ? random.Next(count) : -1;
        while (kinds.Count < count)
        {
            (string colour, string shape) = kinds.Count == forced
                ? HeldOutPairs[random.Next(HeldOutPairs.Count)]
                : (SceneRenderer.ColourNames.ElementAt(random.Next(SceneRenderer.ColourNames.Count)), Shapes[random.Next(Shapes.Length)]);
            bool isHeldOut = HeldOutPairs.Contains((colour, shape));
            if ((!heldOut && isHeldOut) || kinds.Any(o => o.Colour == colour && o.Shape == shape))
            {
                continue;
            }

            kinds.Add((colour, shape, random.Next(2) == 1));
        }

        float Radius(bool large) => (large ? 10 : 6) * k;
        float Uniform(float low, float high) => high <= low ? (low + high) / 2 : low + (float)random.NextDouble() * (high - low);
        var objects = new SceneObject[count];
        float rMax = kinds.Max(o => Radius(o.Large));
        switch (count)
        {
            case 1:
            {
                float r = Radius(kinds[0].Large);
                objects[0] = new SceneObject(kinds[0].Colour, kinds[0].Shape, kinds[0].Large, Uniform(r + 2, size - r - 2), Uniform(r + 2, size - r - 2), r);
                break;
            }

            case 2:
            {
                float r0 = Radius(kinds[0].Large), r1 = Radius(kinds[1].Large);
                float a0 = Uniform(r0 + 2, size / 2f - 2);
                float a1 = Uniform(Math.Max(size / 2f + 2, a0 + r0 + r1 + 6 * k), size - r1 - 2);
                float across = Uniform(rMax + 2, size - rMax - 2);
                float c0 = Math.Clamp(across + Uniform(-4 * k, 4 * k), r0 + 1, size - r0 - 1);
                float c1 = Math.Clamp(across + Uniform(-4 * k, 4 * k), r1 + 1, size - r1 - 1);
                objects[0] = vertical ? new SceneObject(kinds[0].Colour, kinds[0].Shape, kinds[0].Large, c0, a0, r0)
                    : new SceneObject(kinds[0].Colour, kinds[0].Shape, kinds[0].Large, a0, c0, r0);
                objects[1] = vertical ? new SceneObject(kinds[1].Colour, kinds[1].Shape, kinds[1].Large, c1, a1, r1)
                    : new SceneObject(kinds[1].Colour, kinds[1].Shape, kinds[1].Large, a1, c1, r1);
                break;
            }

            default:
            {
                float row = Uniform(rMax + 2, size - rMax - 2);
                for (int i = 0; i < 3; i++)
                {
                    float r = Radius(kinds[i].Large);
                    float x = (11 + 21 * i) * k + Uniform(-1.5f * k, 1.5f * k);
                    float y = Math.Clamp(row + Uniform(-5 * k, 5 * k), r + 1, size - r - 1);
                    objects[i] = new SceneObject(kinds[i].Colour, kinds[i].Shape, kinds[i].Large, x, y, r);
                }

                break;
            }
        }

        return (objects, vertical);
    }
}
