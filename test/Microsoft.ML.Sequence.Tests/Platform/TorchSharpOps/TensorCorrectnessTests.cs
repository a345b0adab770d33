using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Values of the TorchSharp ops we rely on against hand computation, ported from the deleted binding's
/// TensorCorrectnessTests.</summary>
// Not ported: DefaultThreadPolicyIsOneIntraOpThread (the deleted binding's TorchRuntime.Threads default of one
// intra-op thread; the thread policy is now Modules/TorchThreads, defaulting to Environment.ProcessorCount, not an op),
// and CatAndStackShapesAndValues' two Assert.Throws (libtorch errors abort the process here).
[TestClass]
public sealed class TensorCorrectnessTests
{
    private static double[] Doubles(Tensor t) => TensorValues.ToArray<double>(t);

    private static float[] Floats(Tensor t) => TensorValues.ToArray<float>(t);

    private static long[] Longs(Tensor t) => TensorValues.ToArray<long>(t);

    [TestMethod]
    public void SoftmaxRowsSumToOneAndMatchHandValues()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.tensor(new double[] { 1, 2, 3, -1, 0, 5 }, new long[] { 2, 3 });
        double[] p = Doubles(x.softmax(dim: 1));
        double e = Math.E;
        double z = e + e * e + e * e * e;
        Assert.AreEqual(e / z, p[0], 1e-12);
        Assert.AreEqual(e * e * e / z, p[2], 1e-12);
        Assert.AreEqual(1.0, p[0] + p[1] + p[2], 1e-12);
        Assert.AreEqual(1.0, p[3] + p[4] + p[5], 1e-12);
        double[] logP = Doubles(x.log_softmax(dim: 1));
        Assert.AreEqual(Math.Log(p[4]), logP[4], 1e-12);
        CollectionAssert.AreEqual(new double[] { 1, 1 }, Doubles(x.softmax(dim: 1).sum(dim: 1).round()));
    }

    [TestMethod]
    public void TopKSortArgMaxArgMin()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.tensor(new float[] { 3, 9, 1, 7, 4, 6, 2, 8 }, new long[] { 2, 4 });
        (Tensor topValues, Tensor topIndices) = x.topk(2);
        CollectionAssert.AreEqual(new float[] { 9, 7, 8, 6 }, Floats(topValues));
        CollectionAssert.AreEqual(new long[] { 1, 3, 3, 1 }, Longs(topIndices));
        (Tensor smallest, _) = x.topk(1, dim: 1, largest: false);
        CollectionAssert.AreEqual(new float[] { 1, 2 }, Floats(smallest));
        (Tensor sortedValues, Tensor sortedIndices) = x.sort(descending: true);
        CollectionAssert.AreEqual(new float[] { 9, 7, 3, 1, 8, 6, 4, 2 }, Floats(sortedValues));
        CollectionAssert.AreEqual(new long[] { 1, 3, 0, 2, 3, 1, 0, 2 }, Longs(sortedIndices));
        CollectionAssert.AreEqual(new long[] { 1, 3 }, Longs(x.argmax(dim: 1)));
        CollectionAssert.AreEqual(new long[] { 2, 2 }, Longs(x.argmin(dim: 1)));
        Assert.AreEqual(1L, x.argmax().item<long>());
        CollectionAssert.AreEqual(new long[] { 2, 1 }, x.argmax(dim: 1, keepdim: true).shape);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 6, 7, 8, 9 }, Floats(x.reshape(-1).sort(stable: true).Values));
    }

    [TestMethod]
    public void CatAndStackShapesAndValues()
    {
        // The old test also asserted that stacking mismatched shapes throws: in libtorch that error aborts the process
        // here (see TorchSharpErrorTests), so it is not ported; an empty list is no longer ours to reject.
        using var scope = torch.NewDisposeScope();
        Tensor a = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        Tensor b = torch.tensor(new float[] { 7, 8, 9 }, new long[] { 1, 3 });
        Tensor cat0 = torch.cat(new[] { a, b }, dim: 0);
        CollectionAssert.AreEqual(new long[] { 3, 3 }, cat0.shape);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, Floats(cat0));
        Tensor cat1 = torch.cat(new[] { a, a }, dim: 1);
        CollectionAssert.AreEqual(new long[] { 2, 6 }, cat1.shape);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6 }, Floats(cat1));
        CollectionAssert.AreEqual(new long[] { 3, 2, 3 }, torch.stack(new[] { a, a, a }, dim: 0).shape);
        Tensor stack2 = torch.stack(new[] { a, a * 10 }, dim: -1);
        CollectionAssert.AreEqual(new long[] { 2, 3, 2 }, stack2.shape);
        CollectionAssert.AreEqual(new float[] { 1, 10, 2, 20 }, Floats(stack2.reshape(-1).narrow(0, 0, 4)));
    }

    [TestMethod]
    public void EmbeddingLooksUpRowsAndPaddingRowGetsNoGradient()
    {
        using var scope = torch.NewDisposeScope();
        // nn.Embedding with padding_idx 0, as Initialization.Embedding builds it for our layers.
        using Embedding embedding = nn.Embedding(3, 2, padding_idx: 0, dtype: ScalarType.Float64);
        Initialization.Assign(embedding.weight!, torch.tensor(new double[] { 0, 0, 1, 2, 3, 4 }, new long[] { 3, 2 }));
        Tensor indices = torch.tensor(new long[] { 2, 0, 1, 2 }, new long[] { 2, 2 });
        Tensor rows = embedding.forward(indices);
        CollectionAssert.AreEqual(new long[] { 2, 2, 2 }, rows.shape);
        CollectionAssert.AreEqual(new double[] { 3, 4, 0, 0, 1, 2, 3, 4 }, Doubles(rows));
        rows.sum().backward();
        // Row 0 is PAD: no gradient; row 1 is used once, row 2 twice.
        CollectionAssert.AreEqual(new double[] { 0, 0, 1, 1, 2, 2 }, Doubles(embedding.weight!.grad!));
    }

    [TestMethod]
    public void CrossEntropyOnTwoClassesMatchesHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        Tensor logits = torch.tensor(new double[] { 1, 2, 0.5, -0.5 }, new long[] { 2, 2 });
        Tensor target = torch.tensor(new long[] { 0, 0 });
        // Row 0: −log(e¹ / (e¹ + e²)) = log(1 + e); row 1: −log(e^0.5 / (e^0.5 + e^−0.5)) = log(1 + e⁻¹).
        double row0 = Math.Log(1 + Math.E), row1 = Math.Log(1 + 1 / Math.E);
        Assert.AreEqual((row0 + row1) / 2, functional.cross_entropy(logits, target).item<double>(), 1e-12);
        Assert.AreEqual(row0 + row1, functional.cross_entropy(logits, target, reduction: Reduction.Sum).item<double>(), 1e-12);
        // Class weights: a weighted mean, Σ w_y · loss / Σ w_y (both targets are class 0 here, so it is the plain mean).
        Tensor weights = torch.tensor(new double[] { 3, 1 });
        Assert.AreEqual((row0 + row1) / 2, functional.cross_entropy(logits, target, weights).item<double>(), 1e-12);
        Tensor mixed = torch.tensor(new long[] { 0, 1 });
        double row1Class1 = Math.Log(1 + Math.E);
        Assert.AreEqual((3 * row0 + 1 * row1Class1) / 4, functional.cross_entropy(logits, mixed, weights).item<double>(), 1e-12);
        // Label smoothing ε = 0.2 over 2 classes: (1 − ε) · nll + ε · mean over classes of −log p.
        double other0 = Math.Log(1 + 1 / Math.E), other1 = Math.Log(1 + Math.E);
        double smoothed = (0.8 * row0 + 0.2 * (row0 + other0) / 2 + 0.8 * row1 + 0.2 * (row1 + other1) / 2) / 2;
        Assert.AreEqual(smoothed, functional.cross_entropy(logits, target, label_smoothing: 0.2).item<double>(), 1e-12);
    }

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    public void WeightedCrossEntropyWithSmoothingAndIgnoredRowsMatchesReference(Reduction reduction)
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

        double expected = reduction == Reduction.Mean ? total / weightSum : total;
        using var scope = torch.NewDisposeScope();
        double actual = functional.cross_entropy(torch.tensor(logits, new long[] { 4, 3 }), torch.tensor(target),
            torch.tensor(w), reduction: reduction, label_smoothing: Smoothing).item<double>();
        Assert.AreEqual(expected, actual, 1e-12);
    }

    [TestMethod]
    public void BatchNormTrainingUpdatesRunningStatistics()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.tensor(new double[] { 1, 10, 3, 20, 5, 60 }, new long[] { 3, 2 });
        Tensor mean = torch.zeros(2, ScalarType.Float64);
        Tensor variance = torch.ones(2, ScalarType.Float64);
        double[] y = Doubles(functional.batch_norm(x, mean, variance, null, null, training: true, momentum: 0.1, eps: 0));
        // Channel 0: values 1, 3, 5 → mean 3, biased variance 8/3 for normalising, unbiased 4 for the running estimate.
        Assert.AreEqual(-2 / Math.Sqrt(8.0 / 3), y[0], 1e-12);
        Assert.AreEqual(0.1 * 3, Doubles(mean)[0], 1e-12);
        Assert.AreEqual(0.9 * 1 + 0.1 * 4, Doubles(variance)[0], 1e-12);
        double[] evaluation = Doubles(functional.batch_norm(x, mean, variance, null, null, training: false, eps: 0));
        Assert.AreEqual((1 - 0.3) / Math.Sqrt(1.3), evaluation[0], 1e-12);
    }

    [TestMethod]
    public void CtcLossIsFinitePositiveAndMatchesHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        // Two steps, classes {blank, 1}, target "1": alignments 11, _1, 1_.
        double a0 = 0.3, a1 = 0.7, b0 = 0.6, b1 = 0.4;
        Tensor logProbs = torch.tensor(new[] { Math.Log(a0), Math.Log(a1), Math.Log(b0), Math.Log(b1) }, new long[] { 2, 1, 2 });
        Tensor loss = functional.ctc_loss(logProbs, torch.tensor(new long[] { 1 }, new long[] { 1, 1 }), torch.tensor(new long[] { 2 }),
            torch.tensor(new long[] { 1 }), reduction: Reduction.Sum);
        double expected = -Math.Log(a1 * b1 + a0 * b1 + a1 * b0);
        Assert.AreEqual(expected, loss.item<double>(), 1e-12);

        using var generator = new Generator(3);
        Tensor random = torch.randn(new long[] { 6, 2, 4 }, ScalarType.Float64, generator: generator).log_softmax(dim: 2);
        double value = functional.ctc_loss(random, torch.tensor(new long[] { 1, 2, 3, 3, 1, 0 }, new long[] { 2, 3 }),
            torch.tensor(new long[] { 6, 5 }), torch.tensor(new long[] { 3, 2 })).item<double>();
        Assert.IsTrue(double.IsFinite(value) && value > 0, $"CTC loss {value}");
    }

    [TestMethod]
    public void GeneratorIsReproducible()
    {
        using var scope = torch.NewDisposeScope();
        using var first = new Generator(42);
        using var second = new Generator(42);
        using var other = new Generator(43);
        float[] a = Floats(torch.rand(16, generator: first));
        CollectionAssert.AreEqual(a, Floats(torch.rand(16, generator: second)), "same seed, same values");
        CollectionAssert.AreNotEqual(a, Floats(torch.rand(16, generator: other)), "different seed, different values");
        CollectionAssert.AreNotEqual(a, Floats(torch.rand(16, generator: first)), "the sequence moves on");
        first.manual_seed(42);
        CollectionAssert.AreEqual(a, Floats(torch.rand(16, generator: first)), "reseeding replays the sequence");
        Tensor state = first.get_state();
        float[] next = Floats(torch.randn(8, generator: first));
        first.set_state(state);
        CollectionAssert.AreEqual(next, Floats(torch.randn(8, generator: first)), "a saved state replays the sequence");
    }

    [TestMethod]
    public void ReductionsMatchHandValues()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.tensor(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        CollectionAssert.AreEqual(new double[] { 6, 120 }, Doubles(x.prod(dim: 1)));
        CollectionAssert.AreEqual(new double[] { 3, 6 }, Doubles(x.amax(new long[] { 1 })));
        CollectionAssert.AreEqual(new double[] { 3, 6 }, Doubles(x.max(dim: 1).values));
        CollectionAssert.AreEqual(new double[] { 2.5, 3.5, 4.5 }, Doubles(x.mean(dimensions: new long[] { 0 })));
        Assert.AreEqual(Math.Sqrt(91), x.norm().item<double>(), 1e-12);
        Assert.AreEqual(3.5, x.var().item<double>(), 1e-12, "sample variance of 1..6");
        Assert.AreEqual(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), Doubles(x.logsumexp(dim: 1))[0], 1e-12);
        Assert.AreEqual(720.0, x.prod().item<double>());
        Assert.AreEqual(720.0, x.prod(dim: 1).prod(dim: 0).item<double>());
    }
}
