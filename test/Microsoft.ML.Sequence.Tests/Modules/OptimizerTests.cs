using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class OptimizerTests
{
    private const double Tolerance = 1e-12;

    // Gradients fed at steps 1, 2, 3 to a three-element float64 parameter starting at Start.
    private static readonly double[] Start = [0.5, -1.5, 2.0];
    private static readonly double[][] Gradients = [[0.2, -0.4, 1.0], [-0.3, 0.1, 0.5], [0.05, 0.7, -0.6]];

    [TestMethod]
    public void SgdPlainMatchesHandComputation() =>
        AssertSteps(p => new SgdOptimizer(p, learningRate: 0.1), ReferenceSgd(0.1, 0, 0, 0, false));

    [TestMethod]
    public void SgdMomentumWithDampeningAndWeightDecayMatchesHandComputation() =>
        AssertSteps(p => new SgdOptimizer(p, learningRate: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01),
            ReferenceSgd(0.1, 0.9, 0.2, 0.01, false));

    [TestMethod]
    public void SgdNesterovMatchesHandComputation() =>
        AssertSteps(p => new SgdOptimizer(p, learningRate: 0.05, momentum: 0.8, nesterov: true),
            ReferenceSgd(0.05, 0.8, 0, 0, true));

    [TestMethod]
    public void AdamMatchesHandComputation() =>
        AssertSteps(p => new AdamOptimizer(p, learningRate: 0.01, beta1: 0.8, beta2: 0.95, epsilon: 1e-6),
            ReferenceAdam(0.01, 0.8, 0.95, 1e-6, 0, decoupled: false));

    [TestMethod]
    public void AdamWithWeightDecayMatchesHandComputation() =>
        AssertSteps(p => new AdamOptimizer(p, learningRate: 0.01, weightDecay: 0.1),
            ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: false));

    [TestMethod]
    public void AdamWMatchesHandComputation() =>
        AssertSteps(p => new AdamWOptimizer(p, learningRate: 0.01, weightDecay: 0.1),
            ReferenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: true));

    [TestMethod]
    public void ParametersWithoutGradientAreSkipped()
    {
        using var scope = TensorScope.Begin();
        using var used = new ModuleParameter(Tensor.From<double>([1.0, 2.0]));
        using var unused = new ModuleParameter(Tensor.From<double>([3.0, 4.0]));
        using var optimizer = new AdamOptimizer([used, unused], learningRate: 0.1, weightDecay: 0.5);
        used.Value.SetGrad(Tensor.From<double>([1.0, 1.0]));
        optimizer.Step();
        CollectionAssert.AreEqual(new[] { 3.0, 4.0 }, unused.Value.ToArray<double>());
        Assert.AreNotEqual(1.0, used.Value.ToArray<double>()[0]);
        optimizer.ZeroGrad();
        Assert.IsNull(used.Grad);
    }

    [TestMethod]
    public void InvalidArgumentsThrow()
    {
        using var scope = TensorScope.Begin();
        using var p = new ModuleParameter(Tensor.From<double>([1.0]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SgdOptimizer([p], -0.1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SgdOptimizer([p], 0.1, nesterov: true));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SgdOptimizer([p], 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamOptimizer([p], beta1: 1.0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamWOptimizer([p], weightDecay: -1));
        Assert.ThrowsExactly<ArgumentException>(() => new SgdOptimizer([], 0.1));
        Assert.ThrowsExactly<ArgumentException>(() => new SgdOptimizer([p, p], 0.1));
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new AdamOptimizer([p], beta2: 1.5));
        StringAssert.Contains(ex.Message, "[0, 1)");
        StringAssert.Contains(ex.Message, "1.5");
    }

    [TestMethod]
    [DoNotParallelize]
    public void StepsDoNotLeakTensors()
    {
        using var scope = TensorScope.Begin();
        using var p = new ModuleParameter(Tensor.From<double>([1.0, 2.0]));
        using var optimizer = new SgdOptimizer([p], 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true);
        p.Value.SetGrad(Tensor.From<double>([0.5, 0.5]));
        optimizer.Step();
        long afterFirst = TorchRuntime.LiveTensorCount;
        for (int i = 0; i < 5; i++)
        {
            optimizer.Step();
        }

        Assert.AreEqual(afterFirst, TorchRuntime.LiveTensorCount);
    }

    private static void AssertSteps(Func<IEnumerable<ModuleParameter>, Optimizer> create, Func<int, double[], double[], double[]> reference)
    {
        using var scope = TensorScope.Begin();
        using var parameter = new ModuleParameter(Tensor.From<double>(Start));
        using Optimizer optimizer = create([parameter]);
        double[] expected = (double[])Start.Clone();
        for (int step = 0; step < Gradients.Length; step++)
        {
            optimizer.ZeroGrad();
            parameter.Value.SetGrad(Tensor.From<double>(Gradients[step]));
            optimizer.Step();
            expected = reference(step, expected, Gradients[step]);
            double[] actual = parameter.Value.ToArray<double>();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], Tolerance, $"step {step + 1}, element {i}");
            }
        }
    }

    // torch.optim.SGD (1.13): d = g + wd·p; b = d first, else μb + (1−τ)d; d = d + μb (Nesterov) or b; p −= lr·d.
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

    // torch.optim.Adam / AdamW (1.13) with bias correction: step_size = lr / bc1, denom = √v / √bc2 + ε.
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
