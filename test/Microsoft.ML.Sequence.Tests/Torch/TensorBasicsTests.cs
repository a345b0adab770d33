using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

[TestClass]
public sealed class TensorBasicsTests
{
    [TestMethod]
    public void RoundTripsDataShapeAndDtype()
    {
        using var scope = TensorScope.Begin();
        Tensor t = Tensor.From<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, t.Shape.ToArray());
        Assert.AreEqual(DType.Float32, t.DType);
        Assert.AreEqual(Device.Cpu, t.Device);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
    }

    [TestMethod]
    public void ArithmeticMatchesHandComputation()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 3, 4], [2, 2]);
        Tensor b = Tensor.From<double>([10, 20], [2]);
        CollectionAssert.AreEqual(new double[] { 11, 22, 13, 24 }, (a + b).ToArray<double>());
        CollectionAssert.AreEqual(new double[] { 7, 10, 15, 22 }, a.MatMul(a).ToArray<double>());
        Assert.AreEqual(10.0, a.Sum().Item<double>());
        CollectionAssert.AreEqual(new double[] { 3, 7 }, a.Sum([1]).ToArray<double>());
        CollectionAssert.AreEqual(new long[] { 1, 1 }, a.ArgMax(1).ToArray<long>());
    }

    [TestMethod]
    public void WholeNumberScalarsKeepIntegerDtype()
    {
        using var scope = TensorScope.Begin();
        Tensor lengths = Tensor.From<long>([3, 1, 4]);
        Tensor previous = lengths - 1;
        Assert.AreEqual(DType.Int64, previous.DType);
        CollectionAssert.AreEqual(new long[] { 2, 0, 3 }, previous.ToArray<long>());
        Assert.AreEqual(DType.Float32, (lengths * 0.5).DType, "a fractional scalar promotes like PyTorch");
        lengths.AddInPlace(2);
        CollectionAssert.AreEqual(new long[] { 5, 3, 6 }, lengths.ToArray<long>());
    }
}
