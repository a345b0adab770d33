using System.Diagnostics;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>The tagger on real data: one pipeline (MapValueToKey → tagger → MapKeyToValue) trained once on 1,000 EWT
/// training sentences for 3 epochs, shared by the tests of this class (learning, save/load, prediction engine,
/// cancellation).</summary>
[TestClass]
public sealed class SequenceTaggerLearningTests
{
    private static MLContext? _ml;
    private static ITransformer? _model;
    private static SequenceTaggerTransformer? _tagger;
    private static IDataView? _dev;
    private static TimeSpan _fitTime;
    private static string? _skipReason;

    [ClassInitialize]
    public static void TrainOnce(TestContext testContext)
    {
        _ = testContext;
        try
        {
            _ml = new MLContext(seed: 1);
            IDataView train = TaggerTestData.EwtSlice(_ml, "train", 1000);
            _dev = TaggerTestData.EwtSlice(_ml, "dev", 300);
            var watch = Stopwatch.StartNew();
            _model = Pipeline(_ml, _ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(
                labelColumnName: "Tags", tokensColumnName: "Tokens", maxEpochs: 3, batchSize: 16)).Fit(train);
            _fitTime = watch.Elapsed;
            _tagger = ((IEnumerable<ITransformer>)_model).OfType<SequenceTaggerTransformer>().Single();
        }
        catch (AssertInconclusiveException e)
        {
            _skipReason = e.Message;
        }
    }

    [ClassCleanup]
    public static void Cleanup() => _tagger?.Dispose();

    private static IEstimator<ITransformer> Pipeline(MLContext ml, IEstimator<ITransformer> tagger) =>
        ml.Transforms.Conversion.MapValueToKey("Tags", "Upos")
            .Append(tagger)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));

    private static ITransformer Model
    {
        get
        {
            if (_skipReason is not null)
            {
                Assert.Inconclusive(_skipReason);
            }

            return _model!;
        }
    }

    [TestMethod]
    public void LearnsUposOnASliceOfEwt()
    {
        IDataView scored = Model.Transform(_dev!);
        SequenceTaggingMetrics metrics = _ml!.MulticlassClassification.EvaluateSequenceTagging(scored, labelColumnName: "Tags", predictedLabelColumnName: "PredictedLabel");
        Console.WriteLine($"EWT slice: 1,000 train sentences, 3 epochs in {_fitTime.TotalSeconds:0.0} s; dev (300) UPOS accuracy {metrics.TokenAccuracy:0.0000}");
        Assert.IsGreaterThanOrEqualTo(0.80, metrics.TokenAccuracy, $"UPOS accuracy {metrics.TokenAccuracy:0.0000}");
        Assert.AreEqual(3, _tagger!.History!.Epochs.Count);
        Assert.IsLessThan(_tagger.History.Epochs[0].TrainingLoss, _tagger.History.Epochs[2].TrainingLoss);
        CollectionAssert.Contains(_tagger.TagNames.ToArray(), "NOUN");
    }

    [TestMethod]
    public void SavedPipelineLoadedInAFreshContextGivesBitIdenticalScoresAndTagsOnEveryDevRow()
    {
        IDataView scoredBefore = Model.Transform(_dev!);
        List<TaggedPrediction> before = _ml!.Data.CreateEnumerable<TaggedPrediction>(scoredBefore, reuseRowObject: false).ToList();
        using var directory = new TempDirectory();
        string path = directory.File("tagger.zip");
        _ml.Model.Save(Model, _dev!.Schema, path);
        var fresh = new MLContext();
        ITransformer loaded = fresh.Model.Load(path, out DataViewSchema schema);
        using SequenceTaggerTransformer loadedTagger = ((IEnumerable<ITransformer>)loaded).OfType<SequenceTaggerTransformer>().Single();
        Assert.AreEqual(_dev.Schema.Count, schema.Count);
        List<TaggedPrediction> after = fresh.Data.CreateEnumerable<TaggedPrediction>(loaded.Transform(_dev), reuseRowObject: false).ToList();

        Assert.AreEqual(300, before.Count);
        Assert.AreEqual(300, after.Count);
        for (int row = 0; row < before.Count; row++)
        {
            Assert.IsGreaterThan(0, before[row].Score.Length);
            CollectionAssert.AreEqual(before[row].Score, after[row].Score, $"row {row}");
            CollectionAssert.AreEqual(before[row].PredictedTags, after[row].PredictedTags, $"row {row}");
        }
    }

    [TestMethod]
    public void ScoresAreProbabilitiesAndPredictionsTheirArgMax()
    {
        IDataView scored = Model.Transform(_ml!.Data.TakeRows(_dev!, 20));
        int k = _tagger!.TagNames.Count;
        int rows = 0;
        foreach (TaggedPrediction row in _ml.Data.CreateEnumerable<TaggedPrediction>(scored, reuseRowObject: false))
        {
            rows++;
            Assert.AreEqual(row.Tokens.Length, row.PredictedTags.Length);
            Assert.AreEqual(row.Tokens.Length * k, row.Score.Length);
            for (int t = 0; t < row.Tokens.Length; t++)
            {
                float[] distribution = row.Score.AsSpan(t * k, k).ToArray();
                Assert.AreEqual(1.0, distribution.Sum(), 1e-4);
                Assert.IsTrue(distribution.All(p => p >= 0));
                Assert.AreEqual(_tagger.TagNames[Array.IndexOf(distribution, distribution.Max())], row.PredictedTags[t]);
            }
        }

        Assert.AreEqual(20, rows);
    }

    [TestMethod]
    public void PredictionEngineOnTheLoadedModelTagsASentenceAndEqualsTransform()
    {
        using var directory = new TempDirectory();
        string path = directory.File("tagger.zip");
        _ml!.Model.Save(Model, _dev!.Schema, path);
        var fresh = new MLContext();
        ITransformer loaded = fresh.Model.Load(path, out _);
        using SequenceTaggerTransformer loadedTagger = ((IEnumerable<ITransformer>)loaded).OfType<SequenceTaggerTransformer>().Single();
        using PredictionEngine<ConllURow, TaggedPrediction> engine = fresh.Model.CreatePredictionEngine<ConllURow, TaggedPrediction>(loaded);
        TaggedPrediction result = engine.Predict(new ConllURow { Tokens = ["The", "dog", "barked", "."], Upos = ["DET", "NOUN", "VERB", "PUNCT"] });
        Assert.AreEqual(4, result.PredictedTags.Length);
        Assert.AreEqual("PUNCT", result.PredictedTags[3]);
        Assert.AreEqual("DET", result.PredictedTags[0]);

        IDataView first = fresh.Data.TakeRows(_dev, 25);
        List<TaggedPrediction> transformed = fresh.Data.CreateEnumerable<TaggedPrediction>(loaded.Transform(first), reuseRowObject: false).ToList();
        List<ConllURow> inputs = fresh.Data.CreateEnumerable<ConllURow>(first, reuseRowObject: false).ToList();
        Assert.AreEqual(25, inputs.Count);
        for (int row = 0; row < inputs.Count; row++)
        {
            TaggedPrediction single = engine.Predict(inputs[row]);
            CollectionAssert.AreEqual(transformed[row].PredictedTags, single.PredictedTags, $"row {row}");
            // A batch of one rounds differently from a padded batch of 25 (other GEMM shapes): the same to 1e-5.
            Assert.AreEqual(transformed[row].Score.Length, single.Score.Length, $"row {row}");
            for (int i = 0; i < single.Score.Length; i++)
            {
                Assert.AreEqual(transformed[row].Score[i], single.Score[i], 1e-5f, $"row {row}, score {i}");
            }
        }
    }

    [TestMethod]
    public void CancellingFromTheProgressCallbackStopsBeforeBatchSevenAndTouchesNoFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("before.zip");
        _ml!.Model.Save(Model, _dev!.Schema, path);
        byte[] saved = File.ReadAllBytes(path);
        using var cancellation = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase == TrainingPhase.Step)
            {
                steps.Add(p.Step);
                if (p.Step == 5)
                {
                    cancellation.Cancel();
                }
            }
        });
        var options = new RecurrentSequenceTaggerOptions
        {
            LabelColumnName = "Tags", ReportEvery = 1, MaxEpochs = 1, HiddenSize = 16, WordEmbeddingSize = 16,
            Progress = progress, CancellationToken = cancellation.Token,
        };
        IEstimator<ITransformer> estimator = Pipeline(_ml, _ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options));
        Assert.ThrowsExactly<OperationCanceledException>(() => estimator.Fit(_dev));
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, steps);
        CollectionAssert.AreEqual(saved, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory.Path));
    }

    /// <summary>Invokes the handler on the reporting thread (<see cref="Progress{T}"/> would post it elsewhere).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
