using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>The text classifier's schedules as <see cref="TextClassifierSchedules"/> configures
/// <c>torch.optim.lr_scheduler</c>: the learning rate after each step, checked against the formulas.</summary>
[TestClass]
public sealed class LearningRateScheduleTests
{
    private const double Tolerance = 1e-12;

    [TestMethod]
    public void ConstantHasNoScheduler()
    {
        using var scope = NewDisposeScope();
        using optim.Optimizer optimizer = Sgd(0.1);
        Assert.IsNull(TextClassifierSchedules.Create(TextClassifierSchedule.Constant, optimizer, 0.1, 10, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TextClassifierSchedules.Create((TextClassifierSchedule)9, optimizer, 0.1, 10, 2));
    }

    [TestMethod]
    public void CosineWarmsUpLinearlyThenAnnealsToZero()
    {
        using var scope = NewDisposeScope();
        using optim.Optimizer optimizer = Sgd(0.1);
        optim.lr_scheduler.LRScheduler schedule = TextClassifierSchedules.Create(TextClassifierSchedule.Cosine, optimizer, 0.1, totalSteps: 10, warmupSteps: 2)!;
        static double Cosine(double progress) => 0.1 * (1 + Math.Cos(Math.PI * progress)) / 2;
        double[] expected = [0.0, 0.05, 0.1, Cosine(1 / 8.0), Cosine(2 / 8.0), Cosine(3 / 8.0), 0.05, Cosine(5 / 8.0), Cosine(6 / 8.0), Cosine(7 / 8.0), 0.0];
        for (int step = 0; step < expected.Length; step++)
        {
            Assert.AreEqual(expected[step], OptimizerFactory.LearningRate(optimizer), Tolerance, $"step {step}");
            optimizer.step();
            schedule.step();
        }

        Assert.AreEqual(0.0, OptimizerFactory.LearningRate(optimizer), Tolerance, "after N steps the rate stays at 0");

        // Warm-up longer than training is cut to N − 1 steps; no warm-up starts at the full rate.
        using optim.Optimizer other = Sgd(0.1);
        TextClassifierSchedules.Create(TextClassifierSchedule.Cosine, other, 0.1, totalSteps: 4, warmupSteps: 100);
        Assert.AreEqual(0.0, OptimizerFactory.LearningRate(other), Tolerance);
        Assert.AreEqual(1.0 / 3, TextClassifierSchedules.CosineFactor(4, 3)(1), Tolerance);
        Assert.AreEqual(1.0, TextClassifierSchedules.CosineFactor(4, 0)(0), Tolerance);
    }

    [TestMethod]
    public void OneCycleMatchesPyTorchFormulaAndKeepsMomentumFixed()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new[] { 1.0 }));
        using optim.Optimizer optimizer = OptimizerFactory.Create(OptimizerKind.Adam, [p], 123);
        optim.lr_scheduler.LRScheduler schedule = TextClassifierSchedules.Create(TextClassifierSchedule.OneCycle, optimizer, 1.0, totalSteps: 10, warmupSteps: 0)!;
        const double initial = 1.0 / 25, final = initial / 1e4;

        // Phase ends as PyTorch's OneCycleLR: E1 = 0.3·10 − 1 = 2, E2 = 10 − 1 = 9.
        static double Anneal(double start, double end, double pct) => end + ((start - end) / 2 * (Math.Cos(Math.PI * pct) + 1));
        var expected = new Dictionary<int, double>
        {
            [0] = initial, [1] = Anneal(initial, 1.0, 0.5), [2] = 1.0, [5] = Anneal(1.0, final, 3 / 7.0), [9] = final,
        };
        Assert.AreEqual(0.52, expected[1], Tolerance);
        for (int step = 0; step <= 9; step++)
        {
            if (expected.TryGetValue(step, out double rate))
            {
                Assert.AreEqual(rate, OptimizerFactory.LearningRate(optimizer), 1e-9, $"step {step}");
            }

            p.grad = tensor(new[] { 0.1 });
            optimizer.step();
            schedule.step();
        }

        // cycle_momentum is off: Adam's β₁ stays 0.9 (TorchSharp's default would cycle it between 0.85 and 0.95).
        var group = (Adam.ParamGroup)optimizer.ParamGroups.First();
        Assert.AreEqual(0.9, group.Options.beta1!.Value, Tolerance);
    }

    private static optim.Optimizer Sgd(double lr) => optim.SGD([new Parameter(tensor(new[] { 1.0 }))], lr);
}
