using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>The layers our networks build from TorchSharp's: <see cref="Initialization.Linear"/>,
/// <see cref="Initialization.Embedding"/> and <see cref="SeededDropout"/>, all drawing from a given generator.</summary>
[TestClass]
public sealed class LayerTests
{
    [TestMethod]
    public void LinearHasPyTorchShapesNamesAndInitialisationBoundsFromTheGenerator()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        using var linear = Initialization.Linear(16, 4, bias: true, generator);
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, linear.named_parameters().Select(p => p.name).ToArray());
        CollectionAssert.AreEqual(new long[] { 4, 16 }, linear.weight!.shape);
        float[] weights = TensorValues.ToArray<float>(linear.weight);
        Assert.IsTrue(weights.All(w => Math.Abs(w) <= 0.25f), "U(−1/√16, 1/√16)");
        Assert.IsTrue(weights.Any(w => Math.Abs(w) > 0.1f));
        Assert.IsTrue(TensorValues.ToArray<float>(linear.bias!).All(b => Math.Abs(b) <= 0.25f));

        using var again = Initialization.Linear(16, 4, bias: true, new Generator(3, CPU));
        Assert.IsTrue(linear.weight.eq(again.weight!).all().ToBoolean(), "same seed, same values");

        Tensor output = linear.call(ones(2, 5, 16));
        CollectionAssert.AreEqual(new long[] { 2, 5, 4 }, output.shape);
        Assert.ThrowsExactly<System.Runtime.InteropServices.ExternalException>(() => linear.call(ones(2, 15)));

        using var noBias = Initialization.Linear(3, 2, bias: false, generator);
        Assert.IsNull(noBias.bias);
    }

    [TestMethod]
    public void EmbeddingPaddingRowIsZeroAndGetsNoGradient()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        using var embedding = Initialization.Embedding(5, 3, generator);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, TensorValues.ToArray<float>(embedding.weight![0]));

        Tensor ids = tensor(new long[] { 0, 1, 2, 0, 0, 3 }, [2, 3]);
        Tensor vectors = embedding.call(ids);
        CollectionAssert.AreEqual(new long[] { 2, 3, 3 }, vectors.shape);
        vectors.sum().backward();

        Tensor gradient = embedding.weight.grad!;
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, TensorValues.ToArray<float>(gradient[0]));
        CollectionAssert.AreEqual(new float[] { 1, 1, 1 }, TensorValues.ToArray<float>(gradient[1]));
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, TensorValues.ToArray<float>(gradient[4]));

        using var optimizer = optim.SGD(embedding.parameters(), 0.5);
        optimizer.step();
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, TensorValues.ToArray<float>(embedding.weight[0]));

        embedding.weight.requires_grad = false;
        Assert.AreEqual(0, embedding.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    [TestMethod]
    public void EmbeddingRowsAreStandardNormalFromTheGenerator()
    {
        using var scope = NewDisposeScope();
        using var a = Initialization.Embedding(2001, 5, new Generator(9, CPU));
        using var b = Initialization.Embedding(2001, 5, new Generator(9, CPU));
        Assert.IsTrue(a.weight!.eq(b.weight!).all().ToBoolean());
        Tensor rows = a.weight.narrow(0, 1, 2000);
        Assert.AreEqual(0.0, rows.mean().ToDouble(), 0.05);
        Assert.AreEqual(1.0, rows.std().ToDouble(), 0.05);
        Assert.ThrowsExactly<System.Runtime.InteropServices.ExternalException>(() => a.call(tensor(new long[] { 1, 2001 })));
    }

    [TestMethod]
    public void DropoutIsIdentityInEvalAndReproducibleScaledMaskInTrain()
    {
        using var scope = NewDisposeScope();
        Tensor input = full(1000, 2.0f);

        float[] Run(ulong seed, bool training)
        {
            using var generator = new Generator(seed, CPU);
            return TensorValues.ToArray<float>(SeededDropout.Apply(input, 0.25, training, generator));
        }

        CollectionAssert.AreEqual(TensorValues.ToArray<float>(input), Run(1, training: false));
        Assert.AreSame(input, SeededDropout.Apply(input, 0.25, training: false, generator: null));
        Assert.AreSame(input, SeededDropout.Apply(input, 0, training: true, generator: null));

        float[] first = Run(42, training: true);
        CollectionAssert.AreEqual(first, Run(42, training: true));
        Assert.IsFalse(first.SequenceEqual(Run(43, training: true)));
        Assert.IsTrue(first.All(v => v == 0f || Math.Abs(v - (2.0f / 0.75f)) < 1e-6f));
        double dropped = first.Count(v => v == 0f) / 1000.0;
        Assert.IsTrue(dropped > 0.18 && dropped < 0.32, $"dropped fraction {dropped}");

        Tensor x = ones(10, requires_grad: true);
        using var generator = new Generator(7, CPU);
        Tensor y = SeededDropout.Apply(x, 0.5, training: true, generator);
        y.sum().backward();
        CollectionAssert.AreEqual(TensorValues.ToArray<float>(y), TensorValues.ToArray<float>(x.grad!), "gradient is the scaled mask");
    }

    [TestMethod]
    [DataRow(1.0)]
    [DataRow(-0.1)]
    [DataRow(double.NaN)]
    public void DropoutRejectsProbabilitiesOutsideTheUnitInterval(double probability)
    {
        using Tensor x = ones(3);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SeededDropout.Apply(x, probability, training: true, generator: null));
        Assert.AreEqual("probability", e.ParamName);
        StringAssert.Contains(e.Message, "[0, 1)");
    }
}
