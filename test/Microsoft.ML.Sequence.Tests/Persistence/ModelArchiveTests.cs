using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.ML.Sequence.Data.Transforms;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Persistence;

[TestClass]
public sealed class ModelArchiveTests
{
    private static ISequenceDataView Sst2Dev() => DelimitedTextLoader.Load(TestData.PathOf("sst2/dev.tsv"),
        [new LoaderColumn("Label", BooleanColumnType.Instance, HeaderNames: ["label"]), new LoaderColumn("Text", TextColumnType.Instance, HeaderNames: ["content"])],
        new DelimitedTextOptions { HasHeader = true });

    private static (SequenceTransformerChain<ISequenceTransformer> Model, SequenceSchema Schema) Train(ISequenceDataView data)
    {
        var text = new NormalizeTextTransform(new NormalizeTextOptions())
            .Append(new TokenizeWordsTransform(new TokenizeWordsOptions()))
            .Append(new MapValueToKeyEstimator(new MapValueToKeyOptions { MinCount = 2 }))
            .Fit(data);
        var vocabulary = ((MapValueToKeyTransformer)text[2]).Vocabulary;
        var model = new SequenceTransformerChain<ISequenceTransformer>(
            text.Append(DummyEmbeddingComponent.Create(vocabulary.EmbeddingRows, 8, seed: 11)));
        return (model, data.Schema);
    }

    private static List<(long[] Keys, float[] Features)> Outputs(ISequenceTransformer model, ISequenceDataView data)
    {
        var result = new List<(long[], float[])>();
        using DataCursor cursor = model.Transform(data).GetCursor();
        while (cursor.MoveNext())
        {
            result.Add((cursor.GetValue<long[]>("TokenKeys"), cursor.GetValue<float[]>("Features")));
        }

        return result;
    }

    [TestMethod]
    public void TheSameModelSavesToTheSameBytesWhateverTheClock()
    {
        using var dir = new TempDirectory();
        ISequenceDataView data = SequenceDataView.Cache(Sst2Dev());
        var (model, schema) = Train(data);
        using (model)
        {
            ModelArchive.Save(model, schema, dir.File("first.zip"));
            ModelArchive.Save(model, schema, dir.File("second.zip"));
        }

        CollectionAssert.AreEqual(File.ReadAllBytes(dir.File("first.zip")), File.ReadAllBytes(dir.File("second.zip")));
        using var zip = System.IO.Compression.ZipFile.OpenRead(dir.File("first.zip"));
        Assert.IsTrue(zip.Entries.All(e => e.LastWriteTime.Year == 1980),
            "entries carry a fixed time, so saves two seconds apart (the zip's resolution) are identical too");
    }

    [TestMethod]
    public void SaveDisposeLoadGivesBitIdenticalOutputsOnEveryRow()
    {
        using var dir = new TempDirectory();
        ISequenceDataView data = SequenceDataView.Cache(Sst2Dev());
        string path = dir.File("model.zip");
        var (model, schema) = Train(data);
        var before = Outputs(model, data);
        ModelArchive.Save(model, schema, path);
        model.Dispose();

        Assert.IsTrue(ComponentRegistry.IsRegistered("Tests.DummyEmbedding"));
        ISequenceTransformer loaded = ModelArchive.Load(path, out SequenceSchema loadedSchema);
        try
        {
            CollectionAssert.AreEqual(schema.Select(c => c.ToString()).ToList(), loadedSchema.Select(c => c.ToString()).ToList());
            var after = Outputs(loaded, data);
            Assert.HasCount(872, after);
            for (int i = 0; i < before.Count; i++)
            {
                CollectionAssert.AreEqual(before[i].Keys, after[i].Keys, $"row {i}");
                CollectionAssert.AreEqual(before[i].Features.Select(BitConverter.SingleToInt32Bits).ToArray(),
                    after[i].Features.Select(BitConverter.SingleToInt32Bits).ToArray(), $"row {i}");
            }
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        Assert.HasCount(1, Directory.GetFiles(dir.Path));
    }

    private static string SavedModel(TempDirectory dir)
    {
        var data = SequenceDataView.FromEnumerable(new[] { new TextRow { Text = "a b c a" } });
        var (model, schema) = Train(data);
        string path = dir.File("model.zip");
        ModelArchive.Save(model, schema, path);
        model.Dispose();
        return path;
    }

    public sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private static ModelFormatException LoadFails(string path)
    {
        var e = Assert.ThrowsExactly<ModelFormatException>(() => ModelArchive.Load(path, out _));
        StringAssert.Contains(e.Message, path);
        return e;
    }

    [TestMethod]
    public void TruncatedFileIsRejected()
    {
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(SavedModel(dir));
        string truncated = dir.WriteBytes("truncated.zip", bytes[..(bytes.Length / 2)]);
        StringAssert.Contains(LoadFails(truncated).Message, "truncated");
    }

    [TestMethod]
    public void ForgedManifestsAreRejected()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        string unknown = ArchiveEditor.ForgeManifest(path, dir.File("unknown.zip"), m => m["components"]![1]!["kind"] = "Evil.Payload");
        StringAssert.Contains(LoadFails(unknown).Message, "unknown component kind 'Evil.Payload'");

        Dictionary<string, byte[]> entries = ArchiveEditor.Read(path);
        entries["manifest.json"] = "{\"format\": 12"u8.ToArray();
        StringAssert.Contains(LoadFails(ArchiveEditor.Write(dir.File("json.zip"), entries)).Message, "not valid JSON");

        string missingTensor = ArchiveEditor.ForgeManifest(path, dir.File("tensor.zip"), m => m["components"]![3]!["tensors"]!["weight"]!["key"] = "3.nothing");
        StringAssert.Contains(LoadFails(missingTensor).Message, "'3.nothing'");
    }

    [TestMethod]
    public void NewerFormatAndComponentVersionsAreRejected()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        string newer = ArchiveEditor.ForgeManifest(path, dir.File("newer.zip"), m => m["formatVersion"] = 99);
        StringAssert.Contains(LoadFails(newer).Message, "version 99, newer");
        string component = ArchiveEditor.ForgeManifest(path, dir.File("component.zip"), m => m["components"]![3]!["version"] = 3);
        StringAssert.Contains(LoadFails(component).Message, "component version 3");
    }

    [TestMethod]
    public void ShapeMismatchesAreRejected()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        string manifestShape = ArchiveEditor.ForgeManifest(path, dir.File("shape.zip"),
            m => m["components"]![3]!["tensors"]!["weight"]!["shape"] = new JsonArray(99, 8));
        StringAssert.Contains(LoadFails(manifestShape).Message, "shape mismatch");

        Dictionary<string, byte[]> entries = ArchiveEditor.Read(path);
        using (var scope = NewDisposeScope())
        {
            var weights = new MemoryStream();
            SafeTensorsFile.Write(weights, new Dictionary<string, Tensor> { ["3.weight"] = zeros(2, 8) });
            entries["weights.safetensors"] = weights.ToArray();
        }

        string rewritten = ArchiveEditor.Write(dir.File("rewritten.zip"), entries);
        entries = ArchiveEditor.Read(rewritten);
        ArchiveEditor.ForgeManifest(rewritten, dir.File("consistent.zip"),
            m => m["components"]![3]!["tensors"]!["weight"]!["shape"] = new JsonArray(2, 8));
        var e = LoadFails(dir.File("consistent.zip"));
        StringAssert.Contains(e.Message, "tensor 'weight' has shape [2, 8] but the component expects");
    }

    [TestMethod]
    public void CrashMidSaveLeavesPreviousFileAndNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string path = SavedModel(dir);
        byte[] previous = File.ReadAllBytes(path);
        var crashing = new SequenceTransformerChain<ExplodingComponent>(
            [new TokenizeWordsTransform(new TokenizeWordsOptions()), new ExplodingComponent()]);
        var schema = SequenceDataView.SchemaOf<TextRow>();
        Assert.ThrowsExactly<IOException>(() => ModelArchive.Save(crashing, schema, path));
        CollectionAssert.AreEqual(previous, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));

        var notSavable = Assert.ThrowsExactly<NotSupportedException>(() => ModelArchive.Save(new PlainTransformer(), schema, path));
        StringAssert.Contains(notSavable.Message, nameof(PlainTransformer));
        CollectionAssert.AreEqual(previous, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir.Path));
    }

    private sealed class PlainTransformer : ISequenceTransformer
    {
        public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) => inputSchema;

        public ISequenceDataView Transform(ISequenceDataView input) => input;
    }
}
