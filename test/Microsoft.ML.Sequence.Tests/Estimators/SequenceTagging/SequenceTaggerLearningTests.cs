using System.Diagnostics;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>The tagger on real data: one model trained once on 1,000 EWT training sentences for 3 epochs, shared by the
/// tests of this class (learning, save/load, prediction engine, cancellation).</summary>
[TestClass]
public sealed class SequenceTaggerLearningTests
{
    private static SequenceContext? _context;
    private static SequenceTaggerTransformer? _model;
    private static ISequenceDataView? _dev;
    private static TimeSpan _fitTime;
    private static string? _skipReason;

    [ClassInitialize]
    public static void TrainOnce(TestContext testContext)
    {
        _ = testContext;
        try
        {
            _context = new SequenceContext(seed: 1);
            ISequenceDataView train = TaggerTestData.EwtSlice(_context, "train", 1000);
            _dev = TaggerTestData.EwtSlice(_context, "dev", 300);
            var watch = Stopwatch.StartNew();
            _model = _context.SequenceTagging.Trainers.RecurrentTagger(maxEpochs: 3, batchSize: 16).Fit(train);
            _fitTime = watch.Elapsed;
        }
        catch (AssertInconclusiveException e)
        {
            _skipReason = e.Message;
        }
    }

    [ClassCleanup]
    public static void Cleanup() => _model?.Dispose();

    private static SequenceTaggerTransformer Model
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
        SpanF1Metrics metrics = _context!.SequenceTagging.Evaluate(Model.Transform(_dev!));
        Console.WriteLine($"EWT slice: 1,000 train sentences, 3 epochs in {_fitTime.TotalSeconds:0.0} s; dev (300) UPOS accuracy {metrics.TokenAccuracy:0.0000}");
        Assert.IsGreaterThanOrEqualTo(0.80, metrics.TokenAccuracy, $"UPOS accuracy {metrics.TokenAccuracy:0.0000}");
        Assert.AreEqual(3, Model.History!.Epochs.Count);
        Assert.IsLessThan(Model.History.Epochs[0].TrainingLoss, Model.History.Epochs[2].TrainingLoss);
        CollectionAssert.Contains(Model.TagNames.ToArray(), "NOUN");
    }

    [TestMethod]
    public void SavedModelGivesBitIdenticalScoresOnEveryDevRow()
    {
        float[][] before = Scores(Model.Transform(_dev!));
        using var directory = new TempDirectory();
        string path = directory.File("tagger.zip");
        _context!.Model.Save(Model, _dev!.Schema, path);
        ISequenceTransformer loaded = _context.Model.Load(path, out SequenceSchema schema);
        float[][] after;
        try
        {
            Assert.IsInstanceOfType<SequenceTaggerTransformer>(loaded);
            Assert.AreEqual(_dev.Schema.Count, schema.Count);
            after = Scores(loaded.Transform(_dev));
        }
        finally
        {
            ((IDisposable)loaded).Dispose();
        }

        Assert.AreEqual(300, before.Length);
        for (int row = 0; row < before.Length; row++)
        {
            Assert.IsGreaterThan(0, before[row].Length);
            CollectionAssert.AreEqual(before[row], after[row], $"row {row}");
        }
    }

    [TestMethod]
    public void ScoresAreProbabilitiesAndPredictionsTheirArgMax()
    {
        using DataCursor cursor = Model.Transform(_context!.Data.TakeRows(_dev!, 20)).GetCursor();
        int k = Model.TagNames.Count;
        while (cursor.MoveNext())
        {
            string[] tokens = cursor.GetValue<string[]>("Tokens");
            string[] predicted = cursor.GetValue<string[]>("PredictedTags");
            float[] score = cursor.GetValue<float[]>("Score");
            Assert.AreEqual(tokens.Length, predicted.Length);
            Assert.AreEqual(tokens.Length * k, score.Length);
            for (int t = 0; t < tokens.Length; t++)
            {
                float[] distribution = score.AsSpan(t * k, k).ToArray();
                Assert.AreEqual(1.0, distribution.Sum(), 1e-4);
                Assert.IsTrue(distribution.All(p => p >= 0));
                Assert.AreEqual(Model.TagNames[Array.IndexOf(distribution, distribution.Max())], predicted[t]);
            }
        }
    }

    [TestMethod]
    public void PredictionEngineTagsASingleSentence()
    {
        using SequencePredictor<TaggedRow, TaggedPrediction> engine =
            _context!.Model.CreatePredictionEngine<TaggedRow, TaggedPrediction>(Model);
        TaggedPrediction result = engine.Predict(new TaggedRow { Tokens = ["The", "dog", "barked", "."] });
        Assert.AreEqual(4, result.PredictedTags.Length);
        Assert.AreEqual("PUNCT", result.PredictedTags[3]);
        Assert.AreEqual("DET", result.PredictedTags[0]);
    }

    [TestMethod]
    public void CancellingFromTheProgressCallbackStopsBeforeBatchSevenAndTouchesNoFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("before.zip");
        _context!.Model.Save(Model, _dev!.Schema, path);
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
        var options = new RecurrentSequenceTaggerOptions { ReportEvery = 1, MaxEpochs = 1, HiddenSize = 16, WordEmbeddingSize = 16 };
        var estimator = _context.SequenceTagging.Trainers.RecurrentTagger(options);
        Assert.ThrowsExactly<OperationCanceledException>(() => estimator.Fit(_dev, progress, cancellation.Token));
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, steps);
        CollectionAssert.AreEqual(saved, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(directory.Path));
    }

    /// <summary>Invokes the handler on the reporting thread (<see cref="Progress{T}"/> would post it elsewhere).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }

    private static float[][] Scores(ISequenceDataView scored) =>
        SequenceDataView.ToEnumerable<TaggedPrediction>(scored).Select(r => r.Score).ToArray();
}
