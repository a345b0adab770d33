using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>The tagger on small synthetic data: the ML.NET pipeline, CRF output, schema errors, determinism, option
/// round trips, and the conlleval span rules its validation uses.</summary>
[TestClass]
public sealed class SequenceTaggerTests
{
    private static RecurrentSequenceTaggerOptions Small(TaggerOutput output = TaggerOutput.Softmax) => new()
    {
        WordEmbeddingSize = 16,
        CharacterEmbeddingSize = 8,
        CharacterHiddenSize = 8,
        HiddenSize = 16,
        LayerCount = 1,
        MaxEpochs = 4,
        BatchSize = 16,
        LearningRate = 0.01,
        Output = output,
    };

    private static IEstimator<ITransformer> Pipeline(MLContext ml, RecurrentSequenceTaggerOptions options) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Tags")
            .Append(ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", options.PredictedLabelColumnName));

    private static SequenceTaggerTransformer TaggerOf(ITransformer model) =>
        model as SequenceTaggerTransformer ?? ((IEnumerable<ITransformer>)model).OfType<SequenceTaggerTransformer>().Single();

    [TestMethod]
    public void PipelineMapValueToKeyTaggerMapKeyToValueGivesOneTagStringPerToken()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = TaggerTestData.SyntheticBio(ml, 200, seed: 1);
        IDataView test = TaggerTestData.SyntheticBio(ml, 30, seed: 2);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Tags", "Upos")
            .Append(ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(labelColumnName: "Tags", tokensColumnName: "Tokens", maxEpochs: 8, batchSize: 8, hiddenSize: 16))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));
        ITransformer model = pipeline.Fit(ml.Transforms.CopyColumns("Upos", "Tags").Fit(train).Transform(train));
        using SequenceTaggerTransformer tagger = TaggerOf(model);
        IDataView scored = model.Transform(ml.Transforms.CopyColumns("Upos", "Tags").Fit(test).Transform(test));

        DataViewSchema.Column predicted = scored.Schema["PredictedLabel"];
        var type = (VectorDataViewType)predicted.Type;
        Assert.IsFalse(type.IsKnownSize);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), tagger.TagNames.Count), type.ItemType);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        predicted.GetKeyValues(ref keyValues);
        CollectionAssert.AreEqual(tagger.TagNames.ToArray(), keyValues.DenseValues().Select(v => v.ToString()).ToArray());
        // The classes are all the label's key values in key order (MapValueToKey orders them by first occurrence).
        CollectionAssert.AreEqual(new[] { "O", "B-PER", "I-PER", "B-LOC" }.Order().ToArray(), tagger.TagNames.Order().ToArray());

        List<TaggedPrediction> rows = ml.Data.CreateEnumerable<TaggedPrediction>(scored, reuseRowObject: false).ToList();
        List<TaggedRow> gold = TaggerTestData.SyntheticBioRows(30, seed: 2);
        Assert.AreEqual(30, rows.Count);
        int correct = 0, total = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            CollectionAssert.AreEqual(gold[r].Tokens, rows[r].Tokens);
            Assert.AreEqual(rows[r].Tokens.Length, rows[r].PredictedTags.Length, $"row {r}");
            Assert.AreEqual(rows[r].Tokens.Length * tagger.TagNames.Count, rows[r].Score.Length, $"row {r}");
            Assert.IsTrue(rows[r].PredictedTags.All(tagger.TagNames.Contains), string.Join(" ", rows[r].PredictedTags));
            total += gold[r].Tags.Length;
            correct += gold[r].Tags.Where((t, i) => t == rows[r].PredictedTags[i]).Count();
        }

        Assert.IsGreaterThan(0.8, (double)correct / total, $"token accuracy {correct}/{total}");
    }

    [TestMethod]
    public void CrfOutputTrainsAndDecodesValidBioSequences()
    {
        var ml = new MLContext(seed: 3);
        IDataView train = TaggerTestData.SyntheticBio(ml, 300, seed: 1);
        IDataView test = TaggerTestData.SyntheticBio(ml, 60, seed: 2);
        RecurrentSequenceTaggerOptions options = Small(TaggerOutput.Crf);
        options.TagScheme = TagScheme.Bio;
        ITransformer model = Pipeline(ml, options).Fit(train);
        using SequenceTaggerTransformer tagger = TaggerOf(model);
        IDataView scored = model.Transform(test);
        List<TaggedPrediction> predictions = ml.Data.CreateEnumerable<TaggedPrediction>(scored, reuseRowObject: false).ToList();
        SequenceTaggingMetrics metrics = ml.MulticlassClassification.EvaluateSequenceTagging(scored, labelColumnName: "Label", predictedLabelColumnName: "PredictedLabel");
        Assert.IsGreaterThan(0.9, metrics.F1Score, $"span F1 {metrics.F1Score}");

        int k = tagger.TagNames.Count;
        foreach (TaggedPrediction row in predictions)
        {
            for (int t = 0; t < row.PredictedTags.Length; t++)
            {
                string tag = row.PredictedTags[t];
                if (tag.StartsWith("I-", StringComparison.Ordinal))
                {
                    // Under BIO constraints I-X only follows B-X or I-X.
                    Assert.IsGreaterThan(0, t, "a sentence starts with I-");
                    Assert.AreEqual(tag[2..], row.PredictedTags[t - 1][2..]);
                }

                Assert.AreEqual(1.0, row.Score.AsSpan(t * k, k).ToArray().Sum(), 1e-4, "marginals sum to 1");
            }
        }
    }

    [TestMethod]
    public void KeyTokensGiveTheSamePredictionsAsTextTokens()
    {
        IDataView Keyed(MLContext ml, IDataView view) => ml.Transforms.Conversion.MapValueToKey("Tokens").Fit(view).Transform(view);

        float[][] Scores(bool keys)
        {
            var ml = new MLContext(seed: 4);
            IDataView data = TaggerTestData.SyntheticBio(ml, 60, seed: 5);
            IDataView input = keys ? Keyed(ml, data) : data;
            RecurrentSequenceTaggerOptions options = Small();
            options.MaxEpochs = 1;
            // Fitting MapValueToKey draws from the context's random stream too: fix the tagger's own seed.
            options.Seed = 7;
            ITransformer model = Pipeline(ml, options).Fit(input);
            using SequenceTaggerTransformer tagger = TaggerOf(model);
            return TaggerTestData.FloatVectors(model.Transform(input), "Score").ToArray();
        }

        float[][] text = Scores(keys: false), key = Scores(keys: true);
        Assert.AreEqual(60, text.Length);
        for (int row = 0; row < text.Length; row++)
        {
            CollectionAssert.AreEqual(text[row], key[row], $"row {row}");
        }
    }

    [TestMethod]
    public void MissingTokenColumnIsNamedAtFitAndAtGetOutputSchema()
    {
        var ml = new MLContext(seed: 1);
        RecurrentSequenceTaggerOptions options = Small();
        options.TokensColumnName = "Words";
        IEstimator<ITransformer> pipeline = Pipeline(ml, options);
        IDataView data = TaggerTestData.SyntheticBio(ml, 10, 1);
        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        StringAssert.Contains(atFit.Message, "Could not find tokens column 'Words'");
        StringAssert.Contains(atFit.Message, "Tokens (Vector<String>)");
        var atSchema = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(atSchema.Message, "RecurrentSequenceTagger: Could not find tokens column 'Words'");
        Assert.AreEqual("inputSchema", atSchema.ParamName);
    }

    [TestMethod]
    public void ScalarLabelIsASchemaMismatchAtFitAndAtGetOutputSchema()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new SingleTagRow { Tokens = ["a", "b"], Tags = "X Y" } });
        IEstimator<ITransformer> pipeline = Pipeline(ml, Small());
        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        StringAssert.Contains(atFit.Message, "Schema mismatch for label column 'Label'");
        StringAssert.Contains(atFit.Message, "expected a vector of keys");
        StringAssert.Contains(atFit.Message, "got Key<UInt32");
        var atSchema = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(atSchema.Message, "Schema mismatch for label column 'Label'");
        StringAssert.Contains(atSchema.Message, "got Key<UInt32");
    }

    [TestMethod]
    public void GetOutputSchemaAddsAKeyVectorWithTheLabelsKeyValuesAndAScoreVector()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TaggerTestData.SyntheticBio(ml, 10, 1);
        SchemaShape shape = Pipeline(ml, Small()).GetOutputSchema(SchemaShape.Create(data.Schema));
        SchemaShape.Column predicted = shape.Single(c => c.Name == "PredictedLabel");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, predicted.Kind);
        Assert.IsTrue(predicted.IsKey);
        Assert.IsTrue(predicted.Annotations.Any(a => a.Name == AnnotationUtils.Kinds.KeyValues));
        SchemaShape.Column score = shape.Single(c => c.Name == "Score");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, score.Kind);
        Assert.AreEqual(NumberDataViewType.Single, score.ItemType);
        SchemaShape.Column tags = shape.Single(c => c.Name == "PredictedTags");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, tags.Kind);
        Assert.AreEqual(TextDataViewType.Instance, tags.ItemType);
    }

    [TestMethod]
    public void TokensAndTagsOfDifferentLengthsNameTheRow()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(new[]
        {
            new TaggedRow { Tokens = ["a"], Tags = ["X"] },
            new TaggedRow { Tokens = ["a", "b"], Tags = ["X"] },
        });
        var error = Assert.ThrowsExactly<ArgumentException>(() => Pipeline(ml, Small()).Fit(data));
        StringAssert.Contains(error.Message, "training row 1");
        StringAssert.Contains(error.Message, "2 tokens");
        StringAssert.Contains(error.Message, "1 tags");
    }

    [TestMethod]
    public void AMissingTrainingTagNamesTheRowAndPosition()
    {
        var ml = new MLContext(seed: 1);
        IDataView known = ml.Data.LoadFromEnumerable(new[] { new TaggedRow { Tokens = ["a", "b"], Tags = ["X", "Y"] } });
        IDataView data = ml.Data.LoadFromEnumerable(new[]
        {
            new TaggedRow { Tokens = ["a", "b"], Tags = ["X", "Y"] },
            new TaggedRow { Tokens = ["a", "b", "c"], Tags = ["X", "Y", "Z"] },
        });
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(known).Transform(data);
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(Small()).Fit(keyed));
        StringAssert.Contains(error.Message, "training row 1");
        StringAssert.Contains(error.Message, "position 2");
        StringAssert.Contains(error.Message, "'c'");
        StringAssert.Contains(error.Message, "key 0");
    }

    [TestMethod]
    public void OutOfRangeOptionsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        RecurrentSequenceTaggerOptions options = Small();
        options.LayerCount = 0;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options));
        Assert.AreEqual(nameof(RecurrentSequenceTaggerOptions.LayerCount), error.ParamName);
        options.LayerCount = 1;
        options.EarlyStopping = new EarlyStoppingOptions();
        Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options));
        options.EarlyStopping = null;
        options.PredictedLabelColumnName = "Score";
        Assert.ThrowsExactly<ArgumentException>(() => ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options));
    }

    [TestMethod]
    public void SameSeedGivesBitIdenticalWeightsAndTheCallerOptionsStayUntouched()
    {
        RecurrentSequenceTaggerOptions options = Small();
        options.MaxEpochs = 2;
        options.ValidationFraction = 0.2;
        options.EarlyStopping = new EarlyStoppingOptions { Patience = 1 };
        string before = JsonSerializer.Serialize(options);
        Dictionary<string, byte[]> first = TrainAndReadModelEntries(options, contextSeed: 1);
        Dictionary<string, byte[]> second = TrainAndReadModelEntries(options, contextSeed: 1);
        Assert.IsTrue(first.Keys.Any(k => k.Contains("safetensors", StringComparison.OrdinalIgnoreCase) || k.Contains("weights", StringComparison.OrdinalIgnoreCase)),
            string.Join(", ", first.Keys));
        CollectionAssert.AreEquivalent(first.Keys.ToArray(), second.Keys.ToArray());
        foreach ((string name, byte[] bytes) in first)
        {
            CollectionAssert.AreEqual(bytes, second[name], name);
        }

        Assert.AreEqual(before, JsonSerializer.Serialize(options));
        // Another context seed draws another fit seed: the weights differ.
        Dictionary<string, byte[]> other = TrainAndReadModelEntries(options, contextSeed: 2);
        Assert.IsTrue(first.Any(e => !e.Value.SequenceEqual(other[e.Key])));
    }

    [TestMethod]
    public void EveryOptionRoundTripsThroughSaveAndLoadInAFreshContext()
    {
        var ml = new MLContext(seed: 5);
        var options = new RecurrentSequenceTaggerOptions
        {
            TokensColumnName = "Tokens",
            LabelColumnName = "Label",
            PredictedLabelColumnName = "Guess",
            ScoreColumnName = "Distribution",
            WordEmbeddingSize = 12,
            LowercaseWords = false,
            MinWordCount = 1,
            UseCharacterEncoder = true,
            CharacterEmbeddingSize = 6,
            CharacterHiddenSize = 5,
            MaxWordCharacters = 7,
            Cell = RecurrentMode.Lstm,
            HiddenSize = 9,
            LayerCount = 2,
            Dropout = 0.25,
            Output = TaggerOutput.Crf,
            TagScheme = TagScheme.Bio,
            BatchSize = 8,
            MaxEpochs = 1,
            Optimizer = OptimizerKind.AdamW,
            LearningRate = 0.005,
            GradientClipNorm = 2,
            ValidationFraction = 0.1,
            EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.F1, Patience = 2, MinDelta = 0.001, RestoreBestWeights = false },
            ReportEvery = 7,
            PredictionBatchSize = 33,
            Seed = 42,
        };
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(TaggerTestData.SyntheticBio(ml, 40, seed: 4))
            .Transform(TaggerTestData.SyntheticBio(ml, 40, seed: 4));
        using SequenceTaggerTransformer model = ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        using SequenceTaggerTransformer loaded = TaggerOf(new MLContext().Model.Load(stream, out DataViewSchema schema));
        Assert.AreEqual(data.Schema.Count, schema.Count);
        string expected = JsonSerializer.Serialize(options);
        Assert.AreEqual(expected, JsonSerializer.Serialize(model.Options));
        Assert.AreEqual(expected, JsonSerializer.Serialize(loaded.Options));
        CollectionAssert.AreEqual(model.CharacterVocabulary.Values.ToArray(), loaded.CharacterVocabulary.Values.ToArray());
        CollectionAssert.AreEqual(model.WordVocabulary.Values.ToArray(), loaded.WordVocabulary.Values.ToArray());
        CollectionAssert.AreEqual(model.TagNames.ToArray(), loaded.TagNames.ToArray());
        Assert.AreEqual(model.ParameterCount, loaded.ParameterCount);
        Assert.IsNull(loaded.History);
        IDataView scored = loaded.Transform(data);
        Assert.IsNotNull(scored.Schema.GetColumnOrNull("Guess"));
        List<float[]> before = TaggerTestData.FloatVectors(model.Transform(data), "Distribution");
        List<float[]> after = TaggerTestData.FloatVectors(scored, "Distribution");
        for (int row = 0; row < before.Count; row++)
        {
            CollectionAssert.AreEqual(before[row], after[row], $"row {row}");
        }
    }

    [TestMethod]
    public void AModelTrainedWithAValidationSetAndEarlyStoppingLoadsWithoutIt()
    {
        // The validation view is not saved; the loaded options must still be valid (EarlyStopping without validation data
        // is an error when training, not when loading).
        var ml = new MLContext(seed: 5);
        ITransformer keys = ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(TaggerTestData.SyntheticBio(ml, 40, seed: 4));
        RecurrentSequenceTaggerOptions options = Small();
        options.MaxEpochs = 1;
        options.ValidationSet = keys.Transform(TaggerTestData.SyntheticBio(ml, 10, seed: 5));
        options.EarlyStopping = new EarlyStoppingOptions { Patience = 1 };
        IDataView data = keys.Transform(TaggerTestData.SyntheticBio(ml, 40, seed: 4));
        ITransformer model = keys.Append(ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options).Fit(data));
        using var stream = new MemoryStream();
        ml.Model.Save(model, TaggerTestData.SyntheticBio(ml, 1, seed: 4).Schema, stream);
        stream.Position = 0;
        using SequenceTaggerTransformer loaded = TaggerOf(new MLContext().Model.Load(stream, out _));
        Assert.IsNull(loaded.Options.ValidationSet);
        Assert.AreEqual(1, loaded.Options.EarlyStopping!.Patience);
    }

    /// <summary>Every entry of the saved model.zip (settings, vocabularies and every weight), byte for byte, by name.</summary>
    private static Dictionary<string, byte[]> TrainAndReadModelEntries(RecurrentSequenceTaggerOptions options, int contextSeed)
    {
        var ml = new MLContext(seed: contextSeed);
        IDataView data = TaggerTestData.SyntheticBio(ml, 80, seed: 9);
        ITransformer model = Pipeline(ml, options).Fit(data);
        using SequenceTaggerTransformer tagger = TaggerOf(model);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>();
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            using Stream content = entry.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }

        return entries;
    }

    public sealed class SingleTagRow
    {
        public string[] Tokens { get; set; } = [];

        public string Tags { get; set; } = string.Empty;
    }
}
