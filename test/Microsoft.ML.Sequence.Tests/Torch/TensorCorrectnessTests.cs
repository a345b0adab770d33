using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Values of tensor ops against hand computation.</summary>
[TestClass]
public sealed class TensorCorrectnessTests
{
    [TestMethod]
    public void SoftmaxRowsSumToOneAndMatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2, 3, -1, 0, 5], [2, 3]);
        double[] p = x.Softmax(1).ToArray<double>();
        double e = Math.E;
        double z = e + e * e + e * e * e;
        Assert.AreEqual(e / z, p[0], 1e-12);
        Assert.AreEqual(e * e * e / z, p[2], 1e-12);
        Assert.AreEqual(1.0, p[0] + p[1] + p[2], 1e-12);
        Assert.AreEqual(1.0, p[3] + p[4] + p[5], 1e-12);
        double[] logP = x.LogSoftmax(1).ToArray<double>();
        Assert.AreEqual(Math.Log(p[4]), logP[4], 1e-12);
        CollectionAssert.AreEqual(new double[] { 1, 1 }, x.Softmax(1).Sum([1]).Round().ToArray<double>());
    }

    [TestMethod]
    public void TopKSortArgMaxArgMin()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<float>([3, 9, 1, 7, 4, 6, 2, 8], [2, 4]);
        ValuesAndIndices top = x.TopK(2);
        CollectionAssert.AreEqual(new float[] { 9, 7, 8, 6 }, top.Values.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 1, 3, 3, 1 }, top.Indices.ToArray<long>());
        ValuesAndIndices smallest = x.TopK(1, dim: 1, largest: false);
        CollectionAssert.AreEqual(new float[] { 1, 2 }, smallest.Values.ToArray<float>());
        ValuesAndIndices sorted = x.Sort(descending: true);
        CollectionAssert.AreEqual(new float[] { 9, 7, 3, 1, 8, 6, 4, 2 }, sorted.Values.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 1, 3, 0, 2, 3, 1, 0, 2 }, sorted.Indices.ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 1, 3 }, x.ArgMax(1).ToArray<long>());
        CollectionAssert.AreEqual(new long[] { 2, 2 }, x.ArgMin(1).ToArray<long>());
        Assert.AreEqual(1L, x.ArgMax().Item<long>());
        CollectionAssert.AreEqual(new long[] { 2, 1 }, x.ArgMax(1, keepDim: true).Shape.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 6, 7, 8, 9 }, x.Reshape(-1).Sort(stable: true).Values.ToArray<float>());
    }

    [TestMethod]
    public void CatAndStackShapesAndValues()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        Tensor b = Tensor.From<float>([7, 8, 9], [1, 3]);
        Tensor cat0 = Tensor.Cat([a, b]);
        CollectionAssert.AreEqual(new long[] { 3, 3 }, cat0.Shape.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, cat0.ToArray<float>());
        Tensor cat1 = Tensor.Cat([a, a], 1);
        CollectionAssert.AreEqual(new long[] { 2, 6 }, cat1.Shape.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6 }, cat1.ToArray<float>());
        CollectionAssert.AreEqual(new long[] { 3, 2, 3 }, Tensor.Stack([a, a, a]).Shape.ToArray());
        Tensor stack2 = Tensor.Stack([a, a * 10], -1);
        CollectionAssert.AreEqual(new long[] { 2, 3, 2 }, stack2.Shape.ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 10, 2, 20 }, stack2.Reshape(-1).Narrow(0, 0, 4).ToArray<float>());
        Assert.ThrowsExactly<TorchException>(() => Tensor.Stack([a, b]));
        Assert.ThrowsExactly<ArgumentException>(() => Tensor.Cat([]));
    }

    [TestMethod]
    public void EmbeddingLooksUpRowsAndPaddingRowGetsNoGradient()
    {
        using var scope = TensorScope.Begin();
        Tensor weight = Tensor.From<double>([0, 0, 1, 2, 3, 4], [3, 2]);
        weight.RequiresGrad = true;
        Tensor indices = Tensor.From<long>([2, 0, 1, 2], [2, 2]);
        Tensor rows = NeuralOps.Embedding(weight, indices, paddingIndex: 0);
        CollectionAssert.AreEqual(new long[] { 2, 2, 2 }, rows.Shape.ToArray());
        CollectionAssert.AreEqual(new double[] { 3, 4, 0, 0, 1, 2, 3, 4 }, rows.ToArray<double>());
        rows.Sum().Backward();
        // Row 0 is PAD: no gradient; row 1 is used once, row 2 twice.
        CollectionAssert.AreEqual(new double[] { 0, 0, 1, 1, 2, 2 }, weight.Grad!.ToArray<double>());
    }

    [TestMethod]
    public void CrossEntropyOnTwoClassesMatchesHandComputation()
    {
        using var scope = TensorScope.Begin();
        Tensor logits = Tensor.From<double>([1, 2, 0.5, -0.5], [2, 2]);
        Tensor target = Tensor.From<long>([0, 0]);
        // Row 0: −log(e¹ / (e¹ + e²)) = log(1 + e); row 1: −log(e^0.5 / (e^0.5 + e^−0.5)) = log(1 + e⁻¹).
        double row0 = Math.Log(1 + Math.E), row1 = Math.Log(1 + 1 / Math.E);
        Assert.AreEqual((row0 + row1) / 2, Losses.CrossEntropy(logits, target).Item<double>(), 1e-12);
        Assert.AreEqual(row0 + row1, Losses.CrossEntropy(logits, target, reduction: LossReduction.Sum).Item<double>(), 1e-12);
        // Class weights: a weighted mean, Σ w_y · loss / Σ w_y (both targets are class 0 here, so it is the plain mean).
        Tensor weights = Tensor.From<double>([3, 1]);
        Assert.AreEqual((row0 + row1) / 2, Losses.CrossEntropy(logits, target, weights).Item<double>(), 1e-12);
        Tensor mixed = Tensor.From<long>([0, 1]);
        double row1Class1 = Math.Log(1 + Math.E);
        Assert.AreEqual((3 * row0 + 1 * row1Class1) / 4, Losses.CrossEntropy(logits, mixed, weights).Item<double>(), 1e-12);
        // Label smoothing ε = 0.2 over 2 classes: (1 − ε) · nll + ε · mean over classes of −log p.
        double other0 = Math.Log(1 + 1 / Math.E), other1 = Math.Log(1 + Math.E);
        double smoothed = (0.8 * row0 + 0.2 * (row0 + other0) / 2 + 0.8 * row1 + 0.2 * (row1 + other1) / 2) / 2;
        Assert.AreEqual(smoothed, Losses.CrossEntropy(logits, target, labelSmoothing: 0.2).Item<double>(), 1e-12);
    }

    [TestMethod]
    [DataRow(LossReduction.Mean)]
    [DataRow(LossReduction.Sum)]
    public void WeightedCrossEntropyWithSmoothingAndIgnoredRowsMatchesReference(LossReduction reduction)
    {
        // Reference: loss_i = (1 − ε) · w[y_i] · (−log p_i,y_i) + (ε / C) · Σ_c w[c] · (−log p_i,c) over rows that are not
        // ignored; mean divides by Σ w[y_i] over those rows.
        const double Smoothing = 0.15;
        double[] logits = RandomValues.Uniform(5, [4, 3], -2, 2);
        long[] target = [2, 0, -100, 1];
        double[] w = [0.5, 2.0, 1.3];
        double total = 0, weightSum = 0;
        for (int i = 0; i < 4; i++)
        {
            if (target[i] == -100)
            {
                continue;
            }

            double logZ = Math.Log(Math.Exp(logits[3 * i]) + Math.Exp(logits[3 * i + 1]) + Math.Exp(logits[3 * i + 2]));
            double smooth = 0;
            for (int c = 0; c < 3; c++)
            {
                smooth += w[c] * (logZ - logits[3 * i + c]);
            }

            total += (1 - Smoothing) * w[target[i]] * (logZ - logits[3 * i + target[i]]) + Smoothing / 3 * smooth;
            weightSum += w[target[i]];
        }

        double expected = reduction == LossReduction.Mean ? total / weightSum : total;
        using var scope = TensorScope.Begin();
        double actual = Losses.CrossEntropy(Tensor.From<double>(logits, [4, 3]), Tensor.From<long>(target),
            Tensor.From<double>(w), reduction, labelSmoothing: Smoothing).Item<double>();
        Assert.AreEqual(expected, actual, 1e-12);
    }

    [TestMethod]
    public void BatchNormTrainingUpdatesRunningStatistics()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 10, 3, 20, 5, 60], [3, 2]);
        Tensor mean = Tensor.Zeros([2], DType.Float64);
        Tensor variance = Tensor.Ones([2], DType.Float64);
        double[] y = NeuralOps.BatchNorm(x, mean, variance, null, null, training: true, momentum: 0.1, eps: 0).ToArray<double>();
        // Channel 0: values 1, 3, 5 → mean 3, biased variance 8/3 for normalising, unbiased 4 for the running estimate.
        Assert.AreEqual(-2 / Math.Sqrt(8.0 / 3), y[0], 1e-12);
        Assert.AreEqual(0.1 * 3, mean.ToArray<double>()[0], 1e-12);
        Assert.AreEqual(0.9 * 1 + 0.1 * 4, variance.ToArray<double>()[0], 1e-12);
        double[] evaluation = NeuralOps.BatchNorm(x, mean, variance, null, null, training: false, eps: 0).ToArray<double>();
        Assert.AreEqual((1 - 0.3) / Math.Sqrt(1.3), evaluation[0], 1e-12);
    }

    [TestMethod]
    public void CtcLossIsFinitePositiveAndMatchesHandComputation()
    {
        using var scope = TensorScope.Begin();
        // Two steps, classes {blank, 1}, target "1": alignments 11, _1, 1_.
        double a0 = 0.3, a1 = 0.7, b0 = 0.6, b1 = 0.4;
        Tensor logProbs = Tensor.From<double>([Math.Log(a0), Math.Log(a1), Math.Log(b0), Math.Log(b1)], [2, 1, 2]);
        Tensor loss = Losses.CtcLoss(logProbs, Tensor.From<long>([1], [1, 1]), Tensor.From<long>([2]), Tensor.From<long>([1]),
            reduction: LossReduction.Sum);
        double expected = -Math.Log(a1 * b1 + a0 * b1 + a1 * b0);
        Assert.AreEqual(expected, loss.Item<double>(), 1e-12);

        using var generator = new RandomGenerator(3);
        Tensor random = Tensor.Randn([6, 2, 4], generator, DType.Float64).LogSoftmax(2);
        double value = Losses.CtcLoss(random, Tensor.From<long>([1, 2, 3, 3, 1, 0], [2, 3]), Tensor.From<long>([6, 5]),
            Tensor.From<long>([3, 2])).Item<double>();
        Assert.IsTrue(double.IsFinite(value) && value > 0, $"CTC loss {value}");
    }

    [TestMethod]
    public void GeneratorIsReproducible()
    {
        using var scope = TensorScope.Begin();
        using var first = new RandomGenerator(42);
        using var second = new RandomGenerator(42);
        using var other = new RandomGenerator(43);
        float[] a = Tensor.Rand([16], first).ToArray<float>();
        CollectionAssert.AreEqual(a, Tensor.Rand([16], second).ToArray<float>(), "same seed, same values");
        CollectionAssert.AreNotEqual(a, Tensor.Rand([16], other).ToArray<float>(), "different seed, different values");
        CollectionAssert.AreNotEqual(a, Tensor.Rand([16], first).ToArray<float>(), "the sequence moves on");
        first.Reseed(42);
        CollectionAssert.AreEqual(a, Tensor.Rand([16], first).ToArray<float>(), "reseeding replays the sequence");
        Tensor state = first.GetState();
        float[] next = Tensor.Randn([8], first).ToArray<float>();
        first.SetState(state);
        CollectionAssert.AreEqual(next, Tensor.Randn([8], first).ToArray<float>(), "a saved state replays the sequence");
    }

    [TestMethod]
    public void DefaultThreadPolicyIsOneIntraOpThread()
    {
        ThreadSettings threads = TorchRuntime.Threads;
        Assert.AreEqual(1, threads.IntraOpThreads);
        Assert.IsTrue(threads.BlasThreads == 0 || threads.BlasThreads == Environment.ProcessorCount,
            $"BLAS threads {threads.BlasThreads}, processors {Environment.ProcessorCount}");
    }

    [TestMethod]
    public void ReductionsMatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2, 3, 4, 5, 6], [2, 3]);
        CollectionAssert.AreEqual(new double[] { 6, 120 }, x.Prod([1]).ToArray<double>());
        CollectionAssert.AreEqual(new double[] { 3, 6 }, x.Max([1]).ToArray<double>());
        CollectionAssert.AreEqual(new double[] { 2.5, 3.5, 4.5 }, x.Mean([0]).ToArray<double>());
        Assert.AreEqual(Math.Sqrt(91), x.Norm().Item<double>(), 1e-12);
        Assert.AreEqual(3.5, x.Var().Item<double>(), 1e-12, "sample variance of 1..6");
        Assert.AreEqual(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), x.LogSumExp([1]).ToArray<double>()[0], 1e-12);
        Assert.AreEqual(720.0, x.Prod([0, 1]).Item<double>());
    }
}
