using System.Text.Json;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>The tagger on small synthetic data: CRF output, schema errors, determinism, option round trips, and the
/// catalog's evaluator on hand-built cases.</summary>
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

    [TestMethod]
    public void CrfOutputTrainsAndDecodesValidBioSequences()
    {
        var context = new SequenceContext(seed: 3);
        ISequenceDataView train = TaggerTestData.SyntheticBio(context, 300, seed: 1);
        ISequenceDataView test = TaggerTestData.SyntheticBio(context, 60, seed: 2);
        RecurrentSequenceTaggerOptions options = Small(TaggerOutput.Crf);
        options.TagScheme = TagScheme.Bio;
        using SequenceTaggerTransformer model = context.SequenceTagging.Trainers.RecurrentTagger(options).Fit(train);
        ISequenceDataView scored = model.Transform(test);
        SpanF1Metrics metrics = context.SequenceTagging.Evaluate(scored);
        Assert.IsGreaterThan(0.9, metrics.F1Score, metrics.ToString());

        int k = model.TagNames.Count;
        foreach (TaggedPrediction row in SequenceDataView.ToEnumerable<TaggedPrediction>(scored))
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
    public void MissingTokenColumnIsNamed()
    {
        var context = new SequenceContext(seed: 1);
        RecurrentSequenceTaggerOptions options = Small();
        options.TokenColumnName = "Words";
        var estimator = context.SequenceTagging.Trainers.RecurrentTagger(options);
        var error = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(TaggerTestData.SyntheticBio(context, 10, 1)));
        StringAssert.Contains(error.Message, "\"Words\"");
        StringAssert.Contains(error.Message, "TokenColumnName");
        StringAssert.Contains(error.Message, "Tokens");
    }

    [TestMethod]
    public void TagColumnOfTheWrongTypeIsNamed()
    {
        var context = new SequenceContext(seed: 1);
        ISequenceDataView data = context.Data.LoadFromEnumerable(new[] { new SingleTagRow { Tokens = ["a", "b"], Tags = "X Y" } });
        var estimator = context.SequenceTagging.Trainers.RecurrentTagger(Small());
        var error = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(data));
        StringAssert.Contains(error.Message, "\"Tags\"");
        StringAssert.Contains(error.Message, "Vector<Text>");
        StringAssert.Contains(error.Message, "but it is Text");
    }

    [TestMethod]
    public void TokensAndTagsOfDifferentLengthsNameTheRow()
    {
        var context = new SequenceContext(seed: 1);
        ISequenceDataView data = context.Data.LoadFromEnumerable(new[]
        {
            new TaggedRow { Tokens = ["a"], Tags = ["X"] },
            new TaggedRow { Tokens = ["a", "b"], Tags = ["X"] },
        });
        var error = Assert.ThrowsExactly<InvalidDataException>(() => context.SequenceTagging.Trainers.RecurrentTagger(Small()).Fit(data));
        StringAssert.Contains(error.Message, "Row 1");
    }

    [TestMethod]
    public void OutOfRangeOptionsAreNamed()
    {
        var context = new SequenceContext(seed: 1);
        RecurrentSequenceTaggerOptions options = Small();
        options.LayerCount = 0;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => context.SequenceTagging.Trainers.RecurrentTagger(options));
        Assert.AreEqual(nameof(RecurrentSequenceTaggerOptions.LayerCount), error.ParamName);
        options.LayerCount = 1;
        options.EarlyStopping = new EarlyStoppingOptions();
        Assert.ThrowsExactly<ArgumentException>(() => context.SequenceTagging.Trainers.RecurrentTagger(options));
    }

    [TestMethod]
    public void SameSeedGivesBitIdenticalWeightsAndTheCallerOptionsStayUntouched()
    {
        RecurrentSequenceTaggerOptions options = Small();
        options.MaxEpochs = 2;
        options.ValidationFraction = 0.2;
        options.EarlyStopping = new EarlyStoppingOptions { Patience = 1 };
        string before = JsonSerializer.Serialize(options);
        byte[] first = TrainAndReadWeights(options);
        byte[] second = TrainAndReadWeights(options);
        CollectionAssert.AreEqual(first, second);
        Assert.AreEqual(before, JsonSerializer.Serialize(options));
    }

    [TestMethod]
    public void EveryOptionRoundTripsThroughSaveAndLoad()
    {
        var context = new SequenceContext(seed: 5);
        var options = new RecurrentSequenceTaggerOptions
        {
            TokenColumnName = "Tokens",
            TagColumnName = "Tags",
            PredictedTagsColumnName = "Guess",
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
        };
        ISequenceDataView data = TaggerTestData.SyntheticBio(context, 40, seed: 4);
        using SequenceTaggerTransformer model = context.SequenceTagging.Trainers.RecurrentTagger(options).Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        using var loaded = (SequenceTaggerTransformer)context.Model.Load(stream, out _);
        string expected = JsonSerializer.Serialize(options);
        Assert.AreEqual(expected, JsonSerializer.Serialize(model.Options));
        Assert.AreEqual(expected, JsonSerializer.Serialize(loaded.Options));
        CollectionAssert.AreEqual(model.CharacterVocabulary.Values.ToArray(), loaded.CharacterVocabulary.Values.ToArray());
        CollectionAssert.AreEqual(model.WordVocabulary.Values.ToArray(), loaded.WordVocabulary.Values.ToArray());
        CollectionAssert.AreEqual(model.TagNames.ToArray(), loaded.TagNames.ToArray());
        Assert.AreEqual(model.ParameterCount, loaded.ParameterCount);
        ISequenceDataView scored = loaded.Transform(data);
        Assert.IsTrue(scored.Schema.TryGetIndex("Guess", out _));
        Assert.IsTrue(scored.Schema.TryGetIndex("Distribution", out _));
    }

    [TestMethod]
    public void CatalogEvaluateScoresHandBuiltCasesByConllevalRules()
    {
        var context = new SequenceContext(seed: 1);
        ISequenceDataView data = context.Data.LoadFromEnumerable(new[]
        {
            // Exact PER and LOC spans: 2 correct.
            new ScoredRow { Tags = ["B-PER", "I-PER", "O", "B-LOC"], PredictedTags = ["B-PER", "I-PER", "O", "B-LOC"] },
            // Partial span: gold PER over 2 tokens, predicted PER over 1 → wrong.
            new ScoredRow { Tags = ["B-PER", "I-PER", "O"], PredictedTags = ["B-PER", "O", "O"] },
            // Right span, wrong type → wrong.
            new ScoredRow { Tags = ["O", "B-PER", "I-PER"], PredictedTags = ["O", "B-ORG", "I-ORG"] },
            // I- after O starts a span: predicted LOC span over tokens 1-2 matches the gold span exactly → correct;
            // an I-ORG after O where gold says O → a wrong predicted span.
            new ScoredRow { Tags = ["O", "B-LOC", "I-LOC", "O"], PredictedTags = ["O", "I-LOC", "I-LOC", "I-ORG"] },
        });
        SpanF1Metrics m = context.SequenceTagging.Evaluate(data);
        // Gold spans: PER, LOC, PER, PER, LOC = 5; predicted: PER, LOC, PER, ORG, LOC, ORG = 6; correct: PER, LOC, LOC = 3.
        Assert.AreEqual(5, m.GoldSpanCounts.Sum());
        Assert.AreEqual(6, m.PredictedSpanCounts.Sum());
        Assert.AreEqual(3, m.CorrectSpanCounts.Sum());
        Assert.AreEqual(3.0 / 6, m.Precision, 1e-12);
        Assert.AreEqual(3.0 / 5, m.Recall, 1e-12);
        Assert.AreEqual(2 * 0.5 * 0.6 / 1.1, m.F1Score, 1e-12);
        // Tokens: 4 + 2 + 1 + 2 correct of 4 + 3 + 3 + 4.
        Assert.AreEqual(9.0 / 14, m.TokenAccuracy, 1e-12);
        Assert.AreEqual(1.0, m.PerTypeRecall["LOC"], 1e-12);
        Assert.AreEqual(0.0, m.PerTypePrecision["ORG"]);
        Assert.AreEqual(1.0 / 3, m.PerTypeRecall["PER"], 1e-12);
        Assert.IsInstanceOfType<SequenceMetrics>(m);
        Assert.AreEqual("TokenAccuracy", m.GetEntries()[0].Name);
        StringAssert.Contains(m.ToString(), "overall");
    }

    [TestMethod]
    public void CatalogEvaluateRejectsMismatchedRowsAndMissingColumns()
    {
        var context = new SequenceContext(seed: 1);
        ISequenceDataView data = context.Data.LoadFromEnumerable(new[] { new ScoredRow { Tags = ["O", "O"], PredictedTags = ["O"] } });
        var mismatch = Assert.ThrowsExactly<InvalidDataException>(() => context.SequenceTagging.Evaluate(data));
        StringAssert.Contains(mismatch.Message, "Row 0");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => context.SequenceTagging.Evaluate(data, predictedLabelColumnName: "Guess"));
        StringAssert.Contains(missing.Message, "\"Guess\"");
    }

    /// <summary>The saved model file: options, vocabularies and every weight, byte for byte.</summary>
    private static byte[] TrainAndReadWeights(RecurrentSequenceTaggerOptions options)
    {
        var context = new SequenceContext(seed: 11);
        ISequenceDataView data = TaggerTestData.SyntheticBio(context, 80, seed: 9);
        using SequenceTaggerTransformer model = context.SequenceTagging.Trainers.RecurrentTagger(options).Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    public sealed class SingleTagRow
    {
        public string[] Tokens { get; set; } = [];

        public string Tags { get; set; } = string.Empty;
    }

    public sealed class ScoredRow
    {
        public string[] Tags { get; set; } = [];

        public string[] PredictedTags { get; set; } = [];
    }
}
