using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>The optimisers our estimators train with, as <see cref="OptimizerFactory"/> configures TorchSharp's
/// <c>torch.optim</c>, checked step by step against the update rules written out by hand (float64).</summary>
[TestClass]
public sealed class OptimizerTests
{
    private const double Tolerance = 1e-12;

    // Gradients fed at steps 1, 2, 3 to a three-element float64 parameter starting at Start.
    private static readonly double[] Start = [0.5, -1.5, 2.0];
    private static readonly double[][] Gradients = [[0.2, -0.4, 1.0], [-0.3, 0.1, 0.5], [0.05, 0.7, -0.6]];

    [TestMethod]
    public void FactorySgdIsMomentumNineTenthsWithoutDampening() =>
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.Sgd, p, 0.1), ReferenceSgd(0.1, 0.9, 0, 0, false));

    [TestMethod]
    public void FactorySgdWithWeightDecayAddsItToTheGradient() =>
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.Sgd, p, 0.1, weightDecay: 0.01), ReferenceSgd(0.1, 0.9, 0, 0.01, false));

    [TestMethod]
    public void SgdNesterovWithDampeningMatchesHandComputation()
    {
        AssertSteps(p => optim.SGD(p, 0.05, momentum: 0.8, nesterov: true), ReferenceSgd(0.05, 0.8, 0, 0, true));
        AssertSteps(p => optim.SGD(p, 0.1, momentum: 0.9, dampening: 0.2, weight_decay: 0.01), ReferenceSgd(0.1, 0.9, 0.2, 0.01, false));
    }

    [TestMethod]
    public void FactoryAdamMatchesHandComputation() =>
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.Adam, p, 0.01), ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0, decoupled: false));

    [TestMethod]
    public void FactoryAdamWithWeightDecayAddsItToTheGradient() =>
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.Adam, p, 0.01, weightDecay: 0.1),
            ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: false));

    [TestMethod]
    public void FactoryAdamWDecaysTheWeightsDecoupledByOneHundredthByDefault()
    {
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.AdamW, p, 0.01), ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0.01, decoupled: true));
        AssertSteps(p => OptimizerFactory.Create(OptimizerKind.AdamW, p, 0.01, weightDecay: 0.1),
            ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: true));
    }

    [TestMethod]
    public void ParametersWithoutGradientAreSkipped()
    {
        using var scope = NewDisposeScope();
        var used = new Parameter(tensor(new[] { 1.0, 2.0 }));
        var unused = new Parameter(tensor(new[] { 3.0, 4.0 }));
        using optim.Optimizer optimizer = OptimizerFactory.Create(OptimizerKind.Adam, [used, unused], 0.1, weightDecay: 0.5);
        used.grad = tensor(new[] { 1.0, 1.0 });
        optimizer.step();
        CollectionAssert.AreEqual(new[] { 3.0, 4.0 }, TensorValues.ToArray<double>(unused));
        Assert.AreNotEqual(1.0, used.data<double>()[0]);
        optimizer.zero_grad();
        Assert.IsTrue(used.grad is null || used.grad.abs().sum().ToDouble() == 0);
    }

    [TestMethod]
    public void UnknownKindThrowsAndTheLearningRateIsReadable()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new[] { 1.0 }));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)7, [p], 0.1));
        Assert.AreEqual("kind", error.ParamName);
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            using optim.Optimizer optimizer = OptimizerFactory.Create(kind, [p], 0.125);
            Assert.AreEqual(0.125, OptimizerFactory.LearningRate(optimizer), kind.ToString());
        }
    }

    [TestMethod]
    [DoNotParallelize]
    public void StepsDoNotLeakTensors()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new[] { 1.0, 2.0 }));
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            using optim.Optimizer optimizer = OptimizerFactory.Create(kind, [p], 0.1, weightDecay: 0.1);
            p.grad = tensor(new[] { 0.5, 0.5 });
            optimizer.step();
            long afterFirst = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 0; i < 5; i++)
            {
                optimizer.step();
            }

            Assert.AreEqual(afterFirst, DisposeScopeManager.Statistics.ThreadTotalLiveCount, kind.ToString());
        }
    }

    private static void AssertSteps(Func<IEnumerable<Parameter>, optim.Optimizer> create, Func<int, double[], double[], double[]> reference)
    {
        using var scope = NewDisposeScope();
        var parameter = new Parameter(tensor(Start));
        using optim.Optimizer optimizer = create([parameter]);
        double[] expected = (double[])Start.Clone();
        for (int step = 0; step < Gradients.Length; step++)
        {
            optimizer.zero_grad();
            parameter.grad = tensor(Gradients[step]);
            optimizer.step();
            expected = reference(step, expected, Gradients[step]);
            double[] actual = TensorValues.ToArray<double>(parameter);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], Tolerance, $"step {step + 1}, element {i}");
            }
        }
    }

    // torch.optim.SGD: d = g + wd·p; b = d first, else μb + (1−τ)d; d = d + μb (Nesterov) or b; p −= lr·d.
    private static Func<int, double[], double[], double[]> ReferenceSgd(double lr, double momentum, double dampening,
        double weightDecay, bool nesterov)
    {
        double[]? buffer = null;
        return (step, p, g) =>
        {
            double[] d = p.Select((pi, i) => g[i] + (weightDecay * pi)).ToArray();
            if (momentum != 0)
            {
                buffer = buffer is null ? (double[])d.Clone() : buffer.Select((b, i) => (momentum * b) + ((1 - dampening) * d[i])).ToArray();
                d = nesterov ? d.Select((di, i) => di + (momentum * buffer[i])).ToArray() : buffer;
            }

            return p.Select((pi, i) => pi - (lr * d[i])).ToArray();
        };
    }

    // torch.optim.Adam / AdamW with bias correction: step_size = lr / bc1, denom = √v / √bc2 + ε; AdamW first
    // multiplies p by 1 − lr·λ (decoupled), Adam adds λ·p to the gradient.
    private static Func<int, double[], double[], double[]> ReferenceAdam(double lr, double beta1, double beta2, double eps,
        double weightDecay, bool decoupled)
    {
        double[] m = new double[Start.Length], v = new double[Start.Length];
        return (step, p, g) =>
        {
            int t = step + 1;
            double[] result = (double[])p.Clone();
            for (int i = 0; i < result.Length; i++)
            {
                double grad = g[i];
                if (decoupled)
                {
                    result[i] *= 1 - (lr * weightDecay);
                }
                else
                {
                    grad += weightDecay * p[i];
                }

                m[i] = (beta1 * m[i]) + ((1 - beta1) * grad);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * grad * grad);
                double stepSize = lr / (1 - Math.Pow(beta1, t));
                double denom = (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(beta2, t))) + eps;
                result[i] -= stepSize * m[i] / denom;
            }

            return result;
        };
    }
}
