using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class LearningRateScheduleTests
{
    private const double Tolerance = 1e-12;

    [TestMethod]
    public void StepDecayFollowsFormula()
    {
        using var scope = TensorScope.Begin();
        using var p = new ModuleParameter(Tensor.From<double>([1.0]));
        using var optimizer = new SgdOptimizer([p], 0.1);
        var schedule = new StepDecaySchedule(optimizer, stepSize: 3, gamma: 0.5);
        foreach ((int step, double expected) in new[] { (0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (7, 0.025) })
        {
            Assert.AreEqual(expected, schedule.LearningRateAt(step), Tolerance, $"step {step}");
        }

        for (int i = 0; i < 3; i++)
        {
            schedule.Step();
        }

        Assert.AreEqual(3, schedule.StepCount);
        Assert.AreEqual(0.05, optimizer.LearningRate, Tolerance);
    }

    [TestMethod]
    public void CosineWarmsUpLinearlyThenAnneals()
    {
        using var scope = TensorScope.Begin();
        using var p = new ModuleParameter(Tensor.From<double>([1.0]));
        using var optimizer = new SgdOptimizer([p], 0.1);
        var schedule = new CosineSchedule(optimizer, totalSteps: 10, minLearningRate: 0.01, warmupSteps: 2);
        Assert.AreEqual(0.0, optimizer.LearningRate, Tolerance); // lr(0) of a warm-up is 0
        static double Cosine(double progress) => 0.01 + (0.09 * (1 + Math.Cos(Math.PI * progress)) / 2);
        foreach ((int step, double expected) in new[]
                 { (0, 0.0), (1, 0.05), (2, 0.1), (3, Cosine(1 / 8.0)), (6, 0.055), (10, 0.01), (15, 0.01) })
        {
            Assert.AreEqual(expected, schedule.LearningRateAt(step), Tolerance, $"step {step}");
        }

        schedule.Step();
        Assert.AreEqual(0.05, optimizer.LearningRate, Tolerance);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CosineSchedule(optimizer, 10, warmupSteps: 10));
    }

    [TestMethod]
    public void OneCycleMatchesPyTorchFormula()
    {
        using var scope = TensorScope.Begin();
        using var p = new ModuleParameter(Tensor.From<double>([1.0]));
        using var optimizer = new SgdOptimizer([p], 123);
        var schedule = new OneCycleSchedule(optimizer, maxLearningRate: 1.0, totalSteps: 10, warmupFraction: 0.3);
        const double initial = 1.0 / 25, final = initial / 1e4;
        Assert.AreEqual(initial, optimizer.LearningRate, Tolerance);
        Assert.AreEqual(initial, schedule.InitialLearningRate, Tolerance);

        // Phase ends as PyTorch's OneCycleLR: E1 = 0.3·10 − 1 = 2, E2 = 10 − 1 = 9.
        static double Anneal(double start, double end, double pct) => end + ((start - end) / 2 * (Math.Cos(Math.PI * pct) + 1));
        foreach ((int step, double expected) in new[]
                 {
                     (0, initial), (1, Anneal(initial, 1.0, 0.5)), (2, 1.0), (5, Anneal(1.0, final, 3 / 7.0)),
                     (9, final), (10, Anneal(1.0, final, 8 / 7.0)),
                 })
        {
            Assert.AreEqual(expected, schedule.LearningRateAt(step), Tolerance, $"step {step}");
        }

        Assert.AreEqual(0.52, schedule.LearningRateAt(1), Tolerance);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => schedule.LearningRateAt(11));
        schedule.Step();
        schedule.Step();
        Assert.AreEqual(1.0, optimizer.LearningRate, Tolerance);
    }
}
