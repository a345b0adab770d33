using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>Our classifier inside ML.NET itself: pipelines mixing ML.NET's transforms and ours, ML.NET's evaluators and
/// cross-validation, model.zip in a fresh context and a fresh process, the prediction engine, lazy batched Transform,
/// the context's log, seed and GPU settings.</summary>
[TestClass]
public sealed class MlNetIntegrationTests
{
    private static readonly string[] Topics = ["sport", "food", "music"];

    private static LabelledText[] ThreeTopics(int count) => Enumerable.Range(0, count).Select(i => new LabelledText
    {
        Sentence = (i % 3) switch
        {
            0 => $"The GOAL and the Match, {i}!",
            1 => $"Bread, cheese and SOUP {i}.",
            _ => $"a SONG on the Guitar {i}",
        },
        Sentiment = Topics[i % 3],
    }).ToArray();

    private static RecurrentTextClassifierOptions Tiny() => new()
    {
        TextColumnName = "Sentence", LabelColumnName = "Sentiment", EmbeddingSize = 8, HiddenSize = 8, MaxEpochs = 6, BatchSize = 8,
        LearningRate = 0.02, ValidationFraction = 0, EarlyStopping = null,
    };

    [TestMethod]
    public void PipelineOfMlNetTransformsAndOursEvaluatesAndCrossValidatesWithMlNetsEvaluator()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(ThreeTopics(60));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Sentiment")
            .Append(ml.Transforms.Text.NormalizeText("Sentence", keepPunctuations: false))
            .Append(ml.Transforms.Text.TokenizeIntoWords("Sentence"))
            .Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(Tiny()));
        ITransformer model = pipeline.Fit(data);
        IDataView scored = model.Transform(data);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "Sentiment");
        Assert.AreEqual(1.0, metrics.MicroAccuracy, "three separable topics");
        Assert.HasCount(3, metrics.PerClassLogLoss);
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        Assert.IsTrue(scores.All(s => s.Length == 3 && Math.Abs(s.Sum() - 1) < 1e-5), "Score holds K probabilities summing to 1");
        VBuffer<ReadOnlyMemory<char>> slots = default;
        scored.Schema["Score"].GetSlotNames(ref slots);
        CollectionAssert.AreEqual(Topics, slots.DenseValues().Select(s => s.ToString()).ToArray(), "Score's slots are named by the classes");

        IDataView more = ml.Data.LoadFromEnumerable(ThreeTopics(90));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Sentiment").Fit(more).Transform(more);
        var folds = ml.MulticlassClassification.CrossValidate(keyed,
            ml.Transforms.Text.NormalizeText("Sentence").Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(Tiny())),
            numberOfFolds: 3, labelColumnName: "Sentiment");
        Assert.HasCount(3, folds);
        Assert.IsTrue(folds.All(f => f.Metrics.MicroAccuracy > 0.9), string.Join(", ", folds.Select(f => f.Metrics.MicroAccuracy)));
    }

    [TestMethod]
    public void MapKeyToValueTurnsThePredictedKeyBackIntoTheLabelsValues()
    {
        var ml = new MLContext(seed: 2);
        IDataView data = ml.Data.LoadFromEnumerable(ThreeTopics(30));
        var estimator = ml.Transforms.Conversion.MapValueToKey("Sentiment")
            .Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(Tiny()))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        SchemaShape shape = estimator.GetOutputSchema(SchemaShape.Create(data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "PredictedLabel" && c.ItemType == TextDataViewType.Instance),
            "GetOutputSchema propagates the key values through MapKeyToValue");
        ITransformer model = estimator.Fit(data);
        string[] predicted = model.Transform(data).GetColumn<string>("PredictedLabel").ToArray();
        CollectionAssert.AreEqual(ThreeTopics(30).Select(r => r.Sentiment).ToArray(), predicted);
    }

    [TestMethod]
    public void SaveAndLoadInAFreshContextAndInAChildProcessGiveIdenticalPredictions()
    {
        var ml = new MLContext(seed: 3);
        (ITransformer model, DataViewSchema schema) = ClassifierScoring.Fit(ml);
        string expected = ClassifierScoring.Score(ml, model);
        foreach (string line in expected.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] halves = line.Split(" | ");
            Assert.AreEqual(halves[0], halves[1], "Transform and the prediction engine agree");
        }

        using var directory = new TempDirectory();
        string path = directory.File("model.zip");
        ml.Model.SaveAtomically(model, schema, path);
        var fresh = new MLContext(seed: 77);
        Assert.AreEqual(expected, ClassifierScoring.Score(fresh, fresh.Model.Load(path, out _)), "fresh MLContext");
        Assert.AreEqual(expected, ModelRoundTripTests.ScoreInChildProcess(path, scorer: "classifier"), "fresh process, no setup call");
        CollectionAssert.AreEqual(new[] { "model.zip" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void UnseenLabelsAndVeryLongRowsAtPredictionTimeStillScore()
    {
        // A label value the fitted MapValueToKey never saw becomes key 0 (ML.NET's missing key); our model does not read
        // the label, so scoring goes on. The model has no length limit: 6,000 tokens score like any row.
        var ml = new MLContext(seed: 8);
        (ITransformer model, _) = ClassifierScoring.Fit(ml);
        var rows = new[] { new LabelledText { Sentence = string.Join(" ", Enumerable.Repeat("good fine nice", 2000)), Sentiment = "never-seen" } };
        MulticlassPrediction prediction = ml.Data.CreateEnumerable<MulticlassPrediction>(
            model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).Single();
        CollectionAssert.Contains(new[] { "pos", "neg" }, prediction.PredictedLabel);
        Assert.AreEqual(1.0, prediction.Score.Sum(), 1e-5);
    }

    [TestMethod]
    public void TransformIsLazyAndScoresOneBatchAhead()
    {
        // Straight on the enumerable: ML.NET's own transforms would read ahead on parallel cursors and blur the count.
        var ml = new MLContext(seed: 4);
        ITransformer model = ml.BinaryClassification.Trainers.RecurrentTextClassifier(new RecurrentTextClassifierOptions
        {
            TextColumnName = "Sentence", LabelColumnName = "Positive", EmbeddingSize = 4, HiddenSize = 4, MaxEpochs = 1, PredictionBatchSize = 4,
        }).Fit(ml.Data.LoadFromEnumerable(SentimentData.Separable(10)));
        int enumerated = 0;
        IEnumerable<LabelledText> Rows()
        {
            foreach (LabelledText row in SentimentData.Separable(10))
            {
                enumerated++;
                yield return row;
            }
        }

        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(Rows()));
        Assert.AreEqual(0, enumerated, "Transform reads nothing");
        DataViewSchema.Column score = scored.Schema["Score"];
        using DataViewRowCursor cursor = scored.GetRowCursor([score]);
        ValueGetter<float> getter = cursor.GetGetter<float>(score);
        float value = 0;
        Assert.IsTrue(cursor.MoveNext());
        getter(ref value);
        Assert.AreEqual(1 + 4, enumerated, "the first row, and the first batch of 4 read ahead and scored in one pass");
        int rows = 1;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows++;
        }

        Assert.AreEqual(10, rows);
        Assert.AreEqual(10 + 10, enumerated);
    }

    [TestMethod]
    public void FitReportsToTheContextsLogAndToTheProgressCallback()
    {
        var ml = new MLContext(seed: 5);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        var reports = new List<Microsoft.ML.Sequence.Estimators.Training.TrainingProgress>();
        RecurrentTextClassifierOptions options = Tiny();
        options.MaxEpochs = 2;
        options.Progress = new Progress(reports.Add);
        ml.MulticlassClassification.Trainers.RecurrentTextClassifier(options)
            .Fit(ml.Transforms.Conversion.MapValueToKey("Sentiment").Fit(ml.Data.LoadFromEnumerable(ThreeTopics(30))).Transform(ml.Data.LoadFromEnumerable(ThreeTopics(30))));
        lock (messages)
        {
            Assert.IsTrue(messages.Any(m => m.Contains("RecurrentTextClassifier", StringComparison.Ordinal) && m.Contains("30 training rows", StringComparison.Ordinal)),
                "the data summary reaches ml.Log; got: " + string.Join(" | ", messages.Take(20)));
            Assert.AreEqual(2, messages.Count(m => m.Contains("epoch ", StringComparison.Ordinal) && m.Contains("step 4/4", StringComparison.Ordinal)),
                "one line per epoch end");
        }

        Assert.AreEqual(2, reports.Count(r => r.Phase == Microsoft.ML.Sequence.Estimators.Training.TrainingPhase.EpochEnd));
        Assert.IsTrue(reports.All(r => r.RowsPerSecond > 0 && r.EstimatedRemaining >= TimeSpan.Zero));
    }

    [TestMethod]
    public void AMissingGpuFallsBackToTheCpuWithAWarningOrFailsNamingTheDevice()
    {
        IDataView Data(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Sentiment").Fit(ml.Data.LoadFromEnumerable(ThreeTopics(12)))
            .Transform(ml.Data.LoadFromEnumerable(ThreeTopics(12)));
        RecurrentTextClassifierOptions options = Tiny();
        options.MaxEpochs = 1;

        var strict = new MLContext(seed: 6) { GpuDeviceId = 3, FallbackToCpu = false };
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => strict.MulticlassClassification.Trainers.RecurrentTextClassifier(options).Fit(Data(strict)));
        StringAssert.Contains(e.Message, "cuda:3");
        StringAssert.Contains(e.Message, "FallbackToCpu");

        var lenient = new MLContext(seed: 6) { GpuDeviceId = 3, FallbackToCpu = true };
        var warnings = new List<string>();
        lenient.Log += (_, m) =>
        {
            if (m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning)
            {
                lock (warnings)
                {
                    warnings.Add(m.Message);
                }
            }
        };
        using TextClassifierTransformer model = lenient.MulticlassClassification.Trainers.RecurrentTextClassifier(options).Fit(Data(lenient));
        Assert.AreEqual(3, model.Classes.Count);
        lock (warnings)
        {
            Assert.IsTrue(warnings.Any(w => w.Contains("cuda:3", StringComparison.Ordinal) && w.Contains("CPU", StringComparison.Ordinal)), string.Join(" | ", warnings));
        }
    }

    private sealed class Progress(Action<Microsoft.ML.Sequence.Estimators.Training.TrainingProgress> report)
        : IProgress<Microsoft.ML.Sequence.Estimators.Training.TrainingProgress>
    {
        public void Report(Microsoft.ML.Sequence.Estimators.Training.TrainingProgress value) => report(value);
    }
}
