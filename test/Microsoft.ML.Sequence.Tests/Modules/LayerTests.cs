using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class LayerTests
{
    [TestMethod]
    public void LinearHasPyTorchShapesAndInitialisationBounds()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(3);
        using var linear = new Linear(16, 4, generator: generator);
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, linear.NamedParameters().Select(p => p.Key).ToArray());
        CollectionAssert.AreEqual(new long[] { 4, 16 }, linear.Weight.Shape.ToArray());
        float[] weights = linear.Weight.Value.ToArray<float>();
        Assert.IsTrue(weights.All(w => Math.Abs(w) <= 0.25f), "U(−1/√16, 1/√16)");
        Assert.IsTrue(weights.Any(w => Math.Abs(w) > 0.1f));

        Tensor output = linear.Forward(Tensor.Ones([2, 5, 16]));
        CollectionAssert.AreEqual(new long[] { 2, 5, 4 }, output.Shape.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => linear.Forward(Tensor.Ones([2, 15])));
    }

    [TestMethod]
    public void EmbeddingPaddingRowIsZeroAndGetsNoGradient()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(5);
        using var embedding = new Embedding(5, 3, paddingIndex: 0, generator: generator);
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, embedding.Weight.Value.Select(0, 0).ToArray<float>());

        Tensor ids = Tensor.From<long>([0, 1, 2, 0, 0, 3], [2, 3]);
        Tensor vectors = embedding.Forward(ids);
        CollectionAssert.AreEqual(new long[] { 2, 3, 3 }, vectors.Shape.ToArray());
        vectors.Sum().Backward();

        Tensor gradient = embedding.Weight.Grad!;
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, gradient.Select(0, 0).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 1, 1, 1 }, gradient.Select(0, 1).ToArray<float>());
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, gradient.Select(0, 4).ToArray<float>());

        using var optimizer = new SgdOptimizer(embedding.Parameters(), 0.5);
        optimizer.Step();
        CollectionAssert.AreEqual(new float[] { 0, 0, 0 }, embedding.Weight.Value.Select(0, 0).ToArray<float>());

        embedding.Frozen = true;
        Assert.IsFalse(embedding.Weight.Value.RequiresGrad);
        Assert.AreEqual(0, embedding.ParameterCount);
        Assert.IsNull(embedding.Weight.Grad);
    }

    [TestMethod]
    public void EmbeddingValidatesArguments()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Embedding(5, 3, paddingIndex: 5));
        using var scope = TensorScope.Begin();
        using var embedding = new Embedding(5, 3, paddingIndex: null);
        Assert.ThrowsExactly<ArgumentException>(() => embedding.Forward(Tensor.From<int>([1, 2])));
    }

    [TestMethod]
    public void DropoutIsIdentityInEvalAndReproducibleScaledMaskInTrain()
    {
        using var scope = TensorScope.Begin();
        Tensor input = Tensor.Full([1000], 2.0);

        float[] Run(ulong seed, bool training)
        {
            using var generator = new RandomGenerator(seed);
            using var dropout = new Dropout(0.25, generator);
            dropout.Train(training);
            return dropout.Forward(input).ToArray<float>();
        }

        CollectionAssert.AreEqual(input.ToArray<float>(), Run(1, training: false));

        float[] first = Run(42, training: true);
        CollectionAssert.AreEqual(first, Run(42, training: true));
        Assert.IsFalse(first.SequenceEqual(Run(43, training: true)));
        Assert.IsTrue(first.All(v => v == 0f || Math.Abs(v - (2.0f / 0.75f)) < 1e-6f));
        double dropped = first.Count(v => v == 0f) / 1000.0;
        Assert.IsTrue(dropped > 0.18 && dropped < 0.32, $"dropped fraction {dropped}");

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dropout(1.0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Dropout(-0.1));
    }
}
