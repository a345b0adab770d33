using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Estimators.Training;

/// <summary>Weight averaging in the training loop, on one weight w that SGD (lr 1) on loss = −w moves by exactly +1 per
/// step, so after n steps w = n and the average follows a_n = d_n·a_(n−1) + (1 − d_n)·n, d_n = min(decay, (1+n)/(10+n)).</summary>
[TestClass]
public sealed class WeightAverageTests
{
    private const double Decay = 0.9;

    [TestMethod]
    public void WithoutValidationTrainingEndsWithTheAveragedWeights()
    {
        using var model = new OneWeight();
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var loop = new TrainingLoop<OneRowBatch> { Model = model, Optimizer = optimizer, MaxEpochs = 2, WeightAverageDecay = Decay };

        loop.Run(_ => [new OneRowBatch(), new OneRowBatch(), new OneRowBatch()], _ => -model.W.sum(), null);

        Assert.AreEqual(Average(6), model.W.ToDouble(), 1e-12);
        Assert.AreNotEqual(6.0, Average(6), 0.5, "the case must tell the average from the last value");
    }

    [TestMethod]
    public void ValidationSeesTheAveragesWhileTrainingContinuesFromTheTrainedWeights()
    {
        using var model = new OneWeight();
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var seen = new List<double>();
        var loop = new TrainingLoop<OneRowBatch>
        {
            Model = model, Optimizer = optimizer, MaxEpochs = 2, WeightAverageDecay = Decay,
            EarlyStopping = new EarlyStoppingOptions { Patience = 5, RestoreBestWeights = true },
        };

        // Epoch 1 validates best (accuracy 1, then 0.5), so its averaged weights are the ones kept.
        TrainingHistory history = loop.Run(_ => [new OneRowBatch(), new OneRowBatch()], _ => -model.W.sum(), () =>
        {
            seen.Add(model.W.ToDouble());
            return new ValidationResult(0, seen.Count == 1 ? 1 : 0.5, 0);
        });

        Assert.AreEqual(Average(2), seen[0], 1e-12);
        Assert.AreEqual(Average(4), seen[1], 1e-12, "epoch 2 trained on from w = 2, not from the average");
        Assert.AreEqual(1, history.BestEpoch);
        Assert.AreEqual(Average(2), model.W.ToDouble(), 1e-12);
    }

    [TestMethod]
    public void DecayOutsideTheOpenUnitIntervalIsRejected()
    {
        using var model = new OneWeight();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WeightAverage(model.parameters(), 1.0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WeightAverage(model.parameters(), 0.0));
    }

    [TestMethod]
    public void BothTrainersRejectADecayOutsideZeroToOne()
    {
        foreach (double decay in new[] { -0.1, 1.0, double.NaN })
        {
            var classifier = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                new RecurrentTextClassifierOptions { WeightAverageDecay = decay }.Validate());
            Assert.AreEqual(nameof(RecurrentTextClassifierOptions.WeightAverageDecay), classifier.ParamName);
            var tagger = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                new RecurrentSequenceTaggerOptions { WeightAverageDecay = decay }.Validate());
            Assert.AreEqual(nameof(RecurrentSequenceTaggerOptions.WeightAverageDecay), tagger.ParamName);
        }

        new RecurrentTextClassifierOptions { WeightAverageDecay = 0.999 }.Validate();
        new RecurrentSequenceTaggerOptions { WeightAverageDecay = 0.998 }.Validate();
    }

    /// <summary>The average after <paramref name="steps"/> steps, computed by hand from the rule.</summary>
    private static double Average(int steps)
    {
        double average = 0;
        for (int n = 1; n <= steps; n++)
        {
            double d = Math.Min(Decay, (1.0 + n) / (10.0 + n));
            average = d * average + (1 - d) * n;
        }

        return average;
    }

    private sealed class OneWeight : nn.Module
    {
        public OneWeight()
            : base(nameof(OneWeight))
        {
            W = new Parameter(zeros(1, dtype: ScalarType.Float64));
            register_parameter("w", W);
        }

        public Parameter W { get; }
    }
}
