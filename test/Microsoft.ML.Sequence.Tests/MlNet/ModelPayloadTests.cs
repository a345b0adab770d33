using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary><see cref="ModelPayload"/>: a real text classifier's settings and weights inside model.zip, each checked by
/// SHA-256 on load.</summary>
[TestClass]
public sealed class ModelPayloadTests
{
    private static readonly string[] OurEntries = [ModelPayload.SettingsEntryName, ModelPayload.WeightsEntryName];

    private static (byte[] Zip, string Expected) SavedModel()
    {
        var ml = new MLContext(seed: 3);
        (ITransformer model, DataViewSchema schema) = ClassifierScoring.Fit(ml);
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return (stream.ToArray(), ClassifierScoring.Score(ml, model));
    }

    private static string? TryLoad(byte[] zip, out Exception? error)
    {
        var ml = new MLContext(seed: 5);
        try
        {
            using var stream = new MemoryStream(zip, writable: false);
            ITransformer model = ml.Model.Load(stream, out _);
            error = null;
            return ClassifierScoring.Score(ml, model);
        }
        catch (Exception e)
        {
            error = e;
            return null;
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }

    private static string EntryPath(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Single(e => e.FullName.EndsWith("/" + name, StringComparison.Ordinal)).FullName;
    }

    private static byte[] RewriteEntry(byte[] zip, string path, Func<byte[], byte[]> edit)
    {
        using var output = new MemoryStream();
        output.Write(zip);
        using (var archive = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            ZipArchiveEntry entry = archive.GetEntry(path)!;
            byte[] content;
            using (var read = entry.Open())
            using (var copy = new MemoryStream())
            {
                read.CopyTo(copy);
                content = copy.ToArray();
            }

            entry.Delete();
            using var write = archive.CreateEntry(path).Open();
            write.Write(edit(content));
        }

        return output.ToArray();
    }

    [TestMethod]
    public void UnchangedModelLoadsWithEveryByte()
    {
        var (zip, expected) = SavedModel();
        Assert.AreEqual(expected, TryLoad(zip, out Exception? error), error?.ToString());
        foreach (string name in OurEntries)
        {
            EntryPath(zip, name); // present, in the transformer's own folder
        }
    }

    [TestMethod]
    public void ARewrittenButIdenticalEntryStillLoads()
    {
        var (zip, expected) = SavedModel();
        byte[] same = RewriteEntry(zip, EntryPath(zip, ModelPayload.WeightsEntryName), bytes => bytes);
        Assert.AreEqual(expected, TryLoad(same, out Exception? error), error?.ToString());
    }

    [TestMethod]
    public void MissingEntryIsNamed()
    {
        var (zip, _) = SavedModel();
        using var output = new MemoryStream();
        output.Write(zip);
        using (var archive = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(EntryPath(zip, ModelPayload.WeightsEntryName))!.Delete();
        }

        Assert.IsNull(TryLoad(output.ToArray(), out Exception? error));
        var ours = Chain(error!).OfType<ModelFormatException>().FirstOrDefault();
        Assert.IsNotNull(ours, "expected a ModelFormatException, got " + error);
        Console.WriteLine($"outer exception {error!.GetType().Name}: {error.Message}; ours: {ours.Message}");
        StringAssert.Contains(ours.Message, "'Weights.safetensors' is missing");
    }

    /// <summary>Edits our entries inside a well-formed zip (valid CRCs, so only our SHA-256 can notice): every edit must be
    /// rejected with a ModelFormatException that names the edited entry.</summary>
    [TestMethod]
    public void EveryEditOfOurEntriesIsRejectedNamingTheEntry()
    {
        var (zip, _) = SavedModel();
        var random = new Random(20261201);
        int cases = 0;
        var failures = new List<string>();
        foreach (string name in OurEntries)
        {
            string path = EntryPath(zip, name);
            for (int i = 0; i < 100; i++, cases++)
            {
                int mode = i % 4;
                byte[] corrupt = RewriteEntry(zip, path, bytes => Corrupt(bytes, mode, random));
                string? score = TryLoad(corrupt, out Exception? error);
                var ours = error is null ? null : Chain(error).OfType<ModelFormatException>().FirstOrDefault();
                if (score is not null)
                {
                    failures.Add($"{name} case {i} (mode {mode}): loaded silently");
                }
                else if (ours is null || !ours.Message.Contains($"'{name}'", StringComparison.Ordinal) || ThrownByLibrary(Chain(error!).Last()) && Chain(error!).Last() is not ModelFormatException)
                {
                    failures.Add($"{name} case {i} (mode {mode}): {error!.GetType().Name}: {error.Message}");
                }
            }
        }

        Console.WriteLine($"{cases} edits of our entries, {failures.Count} not rejected by name");
        Assert.AreEqual(200, cases);
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures.Take(10)));
    }

    /// <summary>Corrupts the model file itself (byte flips anywhere, truncations; 200 copies): no crash, and a load that succeeds
    /// scores exactly as the original (the byte was one nothing reads, such as a zip timestamp).</summary>
    [TestMethod]
    public void CorruptModelFilesNeverCrashOrLoadWrong()
    {
        var (zip, expected) = SavedModel();
        var random = new Random(7);
        int rejected = 0, harmless = 0;
        var kinds = new Dictionary<string, int>();
        var failures = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            byte[] corrupt = Corrupt(zip, i % 3, random);
            string? score = TryLoad(corrupt, out Exception? error);
            if (score is null)
            {
                rejected++;
                Exception innermost = Chain(error!).Last();
                string kind = innermost.GetType().Name;
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                Exception? stray = Chain(error!).FirstOrDefault(e => e is not ModelFormatException && ThrownByLibrary(e));
                if (stray is not null)
                {
                    failures.Add($"case {i}: the library threw {stray.GetType().Name} instead of ModelFormatException: {stray}");
                }
            }
            else if (score == expected)
            {
                harmless++;
            }
            else
            {
                failures.Add($"case {i}: loaded with different output");
            }
        }

        Console.WriteLine($"200 corrupt files: {rejected} rejected, {harmless} harmless; innermost exceptions: " + string.Join(", ", kinds.Select(k => $"{k.Key} x{k.Value}")));
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
        Assert.AreEqual(200, rejected + harmless);
        Assert.IsTrue(rejected >= 130, $"only {rejected} of 200 corrupt files were rejected ({harmless} harmless)");
    }

    private static bool ThrownByLibrary(Exception e)
    {
        var frame = new System.Diagnostics.StackTrace(e).GetFrames().FirstOrDefault();
        return frame?.GetMethod()?.DeclaringType?.Assembly == typeof(ModelPayload).Assembly;
    }

    // 0: flip one byte; 1: truncate; 2: flip a run of bytes; 3: change one character among the first 200 bytes — the
    // settings' JSON keys and values, or the safetensors header (its length and JSON) — to another printable one.
    private static byte[] Corrupt(byte[] bytes, int mode, Random random)
    {
        byte[] copy = (byte[])bytes.Clone();
        switch (mode)
        {
            case 0 when copy.Length > 0:
                copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
                return copy;
            case 1 when copy.Length > 0:
                return copy[..random.Next(copy.Length)];
            case 2 when copy.Length > 0:
                int start = random.Next(copy.Length);
                for (int k = start; k < Math.Min(copy.Length, start + 1 + random.Next(16)); k++)
                {
                    copy[k] ^= (byte)random.Next(1, 256);
                }

                return copy;
            case 3 when copy.Length > 0:
                int at = random.Next(Math.Min(copy.Length, 200));
                byte replacement;
                do
                {
                    replacement = (byte)random.Next(32, 127);
                }
                while (replacement == copy[at]);
                copy[at] = replacement;
                return copy;
            default:
                return [1];
        }
    }
}
