using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.Training;

/// <summary>The options' StopToken (what mlseq does on Ctrl+C): training ends after the current batch, the interrupted
/// epoch is validated, and Fit returns a usable model whose history says it was interrupted.</summary>
[TestClass]
public sealed class StopTokenTests
{
    [TestMethod]
    public void TheClassifierStopsAfterTheCurrentBatchAndReturnsTheModel()
    {
        var ml = new MLContext(seed: 2);
        IDataView train = SentimentData.Sst2(ml, "train.tsv", 600);
        using var stop = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var options = new RecurrentTextClassifierOptions
        {
            EmbeddingSize = 8, HiddenSize = 8, MaxEpochs = 5, BatchSize = 32, ReportEvery = 1, StopToken = stop.Token,
            Progress = new Sink(p =>
            {
                reports.Add(p);
                if (p is { Epoch: 2, Phase: TrainingPhase.Step, Step: 3 })
                {
                    stop.Cancel();
                }
            }),
        };
        using TextClassifierTransformer model = ml.BinaryClassification.Trainers.RecurrentTextClassifier(options).Fit(train);
        TrainingHistory history = model.History!;
        Assert.IsTrue(history.Interrupted);
        Assert.HasCount(2, history.Epochs, "the interrupted second epoch is recorded");
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, reports.Where(r => r.Epoch == 2 && r.Phase == TrainingPhase.Step).Select(r => r.Step).ToArray(),
            "no batch after the third");
        TrainingProgress end = reports.Last();
        Assert.AreEqual(TrainingPhase.EpochEnd, end.Phase);
        Assert.AreEqual(3, end.Step, "the epoch-end report counts the steps run");
        Assert.IsNotNull(end.ValidationMetric, "the interrupted epoch was validated");
        Assert.IsTrue(history.BestEpoch is 1 or 2);
        Assert.AreEqual(600, model.Transform(train).GetColumn<float>("Probability").Count(p => p is >= 0 and <= 1));
    }

    [TestMethod]
    public void TheTaggerStopsBetweenBatchesToo()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label", "Tags").Fit(TaggerTestData.SyntheticBio(ml, 80, seed: 1))
            .Transform(TaggerTestData.SyntheticBio(ml, 80, seed: 1));
        using var stop = new CancellationTokenSource();
        int steps = 0;
        var options = new RecurrentSequenceTaggerOptions
        {
            WordEmbeddingSize = 8, HiddenSize = 8, UseCharacterEncoder = false, LayerCount = 1, BatchSize = 8, MaxEpochs = 4, ReportEvery = 1,
            MinWordCount = 1, StopToken = stop.Token,
            Progress = new Sink(p =>
            {
                if (p.Phase == TrainingPhase.Step && ++steps == 2)
                {
                    stop.Cancel();
                }
            }),
        };
        using SequenceTaggerTransformer tagger = ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options).Fit(data);
        Assert.IsTrue(tagger.History!.Interrupted);
        Assert.HasCount(1, tagger.History.Epochs);
        Assert.AreEqual(2, steps, "no step reported after the stop");
        Assert.AreEqual(default, tagger.Options.StopToken, "the token is not kept with the model");
    }

    [TestMethod]
    public void TheCtcRecognizerStopsAfterTheCurrentBatchAndReturnsTheModel()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = CtcSyntheticData.FeatureView(ml, CtcSyntheticData.Labels(64, seed: 1), seed: 2);
        using var stop = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var options = new CtcRecognizerOptions
        {
            FeaturesColumnName = "Features", HiddenSize = 8, LayerCount = 1, BatchSize = 8, MaxEpochs = 4, ReportEvery = 1, StopToken = stop.Token,
            Progress = new Sink(p =>
            {
                reports.Add(p);
                if (p is { Epoch: 2, Phase: TrainingPhase.Step, Step: 2 })
                {
                    stop.Cancel();
                }
            }),
        };
        using CtcRecognitionTransformer model = ml.Sequence.Trainers.CtcRecognizer(options).Fit(data);
        Assert.IsTrue(model.History!.Interrupted);
        Assert.HasCount(2, model.History.Epochs, "the interrupted second epoch is recorded");
        CollectionAssert.AreEqual(new[] { 1, 2 }, reports.Where(r => r.Epoch == 2 && r.Phase == TrainingPhase.Step).Select(r => r.Step).ToArray(),
            "no batch after the second");
        Assert.IsNotNull(reports.Last().ValidationMetric, "the interrupted epoch was validated");
        Assert.AreEqual(64, model.Transform(data).GetColumn<ReadOnlyMemory<char>>("PredictedText").Count());
    }

    private sealed class Sink(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
