using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.ML.Sequence.Tests.MlNet;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Persistence;

/// <summary>Our classifier inside ML.NET's model.zip: what the zip holds, and how a truncated, forged, newer or
/// shape-mismatched model is rejected (forged models are written through the real save path, so their SHA-256 table is
/// consistent and the check behind it is what rejects them).</summary>
[TestClass]
public sealed class ModelZipTests
{
    private static (MLContext Ml, TextClassifierTransformer Classifier, ITransformer Model, DataViewSchema Schema) Fitted()
    {
        var ml = new MLContext(seed: 11);
        (ITransformer model, DataViewSchema schema) = ClassifierScoring.Fit(ml);
        return (ml, ((IEnumerable<ITransformer>)model).OfType<TextClassifierTransformer>().Single(), model, schema);
    }

    private static Exception LoadFails(MLContext ml, byte[] zip)
    {
        Exception e = Assert.Throws<Exception>(() => ml.Model.Load(new MemoryStream(zip), out _));
        return e;
    }

    private static ModelFormatException Ours(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is ModelFormatException ours)
            {
                return ours;
            }
        }

        Assert.Fail("expected a ModelFormatException in the chain, got " + e);
        return null!;
    }

    /// <summary>A model whose classifier entry is written by <paramref name="save"/> instead of the real classifier.</summary>
    private static byte[] Forged(MLContext ml, DataViewSchema schema, Action<ModelSaveContext> save)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(new ForgedTransformer(save), schema, stream);
        return stream.ToArray();
    }

    [TestMethod]
    public void TheZipHoldsSettingsJsonAndSafetensorsWeightsWithPyTorchNames()
    {
        var (ml, classifier, model, schema) = Fitted();
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        using var zip = new ZipArchive(new MemoryStream(stream.ToArray()), ZipArchiveMode.Read);
        ZipArchiveEntry settings = zip.Entries.Single(e => e.Name == ModelPayload.SettingsEntryName);
        ZipArchiveEntry weights = zip.Entries.Single(e => e.Name == ModelPayload.WeightsEntryName);
        string json = new StreamReader(settings.Open()).ReadToEnd();
        StringAssert.Contains(json, "\"kind\": \"Sequence.RecurrentTextClassifier\"");
        StringAssert.Contains(json, "\"HiddenSize\": 5");
        using var weightBytes = new MemoryStream();
        weights.Open().CopyTo(weightBytes);
        weightBytes.Position = 0;
        Dictionary<string, Tensor> tensors = SafeTensorsFile.Read(weightBytes);
        try
        {
            CollectionAssert.IsSubsetOf(new[] { "embedding.weight", "head.weight", "head.bias", "encoder.weight_ih_l0" },
                tensors.Keys.ToArray(), string.Join(", ", tensors.Keys));
            Assert.AreEqual(classifier.ParameterCount, tensors.Values.Sum(t => t.numel()));
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }

    [TestMethod]
    public void TruncatedModelsAreRejected()
    {
        var (ml, _, model, schema) = Fitted();
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        byte[] bytes = stream.ToArray();
        foreach (int length in new[] { 0, 10, bytes.Length / 2, bytes.Length - 1 })
        {
            LoadFails(new MLContext(seed: 1), bytes[..length]);
        }
    }

    [TestMethod]
    public void ForgedSettingsAreRejectedNamingWhatIsWrong()
    {
        var (ml, classifier, _, schema) = Fitted();
        VersionInfo version = TextClassifierTransformer.VersionInfo();
        byte[] weights = WeightsOf(classifier);

        byte[] json = Forged(ml, schema, ctx => Raw(ctx, version, "{\"kind\": 12", weights));
        StringAssert.Contains(Ours(LoadFails(ml, json)).Message, "not valid JSON");

        byte[] kind = Forged(ml, schema, ctx => ComponentPersistence.Save(ctx, version, Relabelled(classifier, "Evil.Payload", 1)));
        StringAssert.Contains(Ours(LoadFails(ml, kind)).Message, "'Evil.Payload'");

        byte[] newer = Forged(ml, schema, ctx => ComponentPersistence.Save(ctx, version, Relabelled(classifier, TextClassifierTransformer.Kind, 3)));
        StringAssert.Contains(Ours(LoadFails(ml, newer)).Message, "component version 3");

        VersionInfo future = MlNetInternals.CreateVersionInfo("RNNTXTCL", 0x00020001, 0x00020001, 0x00020001, typeof(TextClassifierTransformer),
            TextClassifierTransformer.LoaderSignature);
        byte[] newerHeader = Forged(ml, schema, ctx => ComponentPersistence.Save(ctx, future, classifier.ToComponent()));
        Exception header = LoadFails(ml, newerHeader);
        StringAssert.Contains(Ours(header).Message, "version header");
    }

    [TestMethod]
    public void AnOptionOutOfItsRangeIsRejectedNamingTheOption()
    {
        var (ml, classifier, _, schema) = Fitted();
        RecurrentTextClassifierOptions options = classifier.Options;
        options.Dropout = 1.5;
        byte[] zip = Forged(ml, schema, ctx => ComponentPersistence.Save(ctx, TextClassifierTransformer.VersionInfo(),
            Relabelled(classifier, TextClassifierTransformer.Kind, TextClassifierTransformer.KindVersion, options)));
        string message = Ours(LoadFails(ml, zip)).Message;
        StringAssert.Contains(message, "a saved option is invalid");
        StringAssert.Contains(message, nameof(RecurrentTextClassifierOptions.Dropout));
    }

    [TestMethod]
    public void WeightsThatDoNotFitTheOptionsAreAShapeMismatch()
    {
        var (ml, classifier, _, schema) = Fitted();
        byte[] zip = Forged(ml, schema, ctx =>
        {
            ComponentSaveContext component = classifier.ToComponent();
            var forged = new ComponentSaveContext(TextClassifierTransformer.Kind, TextClassifierTransformer.KindVersion);
            forged.WriteOptions(new TextClassifierTransformer.SavedState(classifier.Options, false, TextInputKind.Text));
            forged.WriteVocabulary("words", classifier.Vocabulary);
            forged.WriteVocabulary("classes", new Microsoft.ML.Sequence.Data.Vocabulary(classifier.Classes));
            using (NewDisposeScope())
            {
                foreach (var entry in component.Tensors.Values)
                {
                    forged.WriteTensor(entry.Name, entry.Name == "head.weight" ? zeros(2, 3) : entry.ToTensor(CPU));
                }
            }

            ComponentPersistence.Save(ctx, TextClassifierTransformer.VersionInfo(), forged);
        });
        string message = Ours(LoadFails(ml, zip)).Message;
        StringAssert.Contains(message, "do not fit its options");
        StringAssert.Contains(message, "head.weight");
    }

    [TestMethod]
    public void AFailedSaveLeavesThePreviousFileAndNoTemporaryFile()
    {
        var (ml, _, model, schema) = Fitted();
        using var directory = new TempDirectory();
        string path = directory.File("model.zip");
        ml.Model.SaveAtomically(model, schema, path);
        byte[] previous = File.ReadAllBytes(path);
        var exploding = new ForgedTransformer(_ => throw new IOException("disk full (simulated)"));
        var e = Assert.Throws<Exception>(() => ml.Model.SaveAtomically(exploding, schema, path));
        StringAssert.Contains(e.ToString(), "disk full");
        CollectionAssert.AreEqual(previous, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { "model.zip" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray());
        Assert.AreEqual(ClassifierScoring.Score(ml, model), ClassifierScoring.Score(ml, ml.Model.Load(path, out _)));
    }

    private static byte[] WeightsOf(TextClassifierTransformer classifier)
    {
        using var stream = new MemoryStream();
        SafeTensorsFile.WriteEntries(stream, classifier.ToComponent().Tensors.Values.ToList(), new Dictionary<string, string>());
        return stream.ToArray();
    }

    private static ComponentSaveContext Relabelled(TextClassifierTransformer classifier, string kind, int version,
        RecurrentTextClassifierOptions? options = null)
    {
        ComponentSaveContext real = classifier.ToComponent();
        var forged = new ComponentSaveContext(kind, version);
        forged.WriteOptions(new TextClassifierTransformer.SavedState(options ?? classifier.Options, false, TextInputKind.Text));
        forged.WriteVocabulary("words", classifier.Vocabulary);
        forged.WriteVocabulary("classes", new Microsoft.ML.Sequence.Data.Vocabulary(classifier.Classes));
        using (NewDisposeScope())
        {
            foreach (var entry in real.Tensors.Values)
            {
                forged.WriteTensor(entry.Name, entry.ToTensor(CPU));
            }
        }

        return forged;
    }

    private static void Raw(ModelSaveContext ctx, VersionInfo version, string settings, byte[] weights)
    {
        MlNetInternals.BeginSave(ctx, version);
        new ModelPayload(settings, weights).Save(ctx);
    }

    /// <summary>Saves as if it were our classifier (its version header names the classifier's loader), writing whatever the
    /// test asks.</summary>
    private sealed class ForgedTransformer(Action<ModelSaveContext> save) : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public void Save(ModelSaveContext ctx) => save(ctx);

        public IDataView Transform(IDataView input) => input;
    }
}
