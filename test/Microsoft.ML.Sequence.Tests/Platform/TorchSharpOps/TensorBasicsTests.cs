using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Tensor creation, read-back, arithmetic and dtype promotion through TorchSharp, ported from the deleted
/// binding's TensorBasicsTests.</summary>
[TestClass]
public sealed class TensorBasicsTests
{
    [TestMethod]
    public void RoundTripsDataShapeAndDtype()
    {
        using var scope = torch.NewDisposeScope();
        Tensor t = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        CollectionAssert.AreEqual(new long[] { 2, 3 }, t.shape);
        Assert.AreEqual(ScalarType.Float32, t.dtype);
        Assert.AreEqual(DeviceType.CPU, t.device_type);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6 }, TensorValues.ToArray<float>(t));
    }

    [TestMethod]
    public void ArithmeticMatchesHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        Tensor a = torch.tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        Tensor b = torch.tensor(new double[] { 10, 20 });
        CollectionAssert.AreEqual(new double[] { 11, 22, 13, 24 }, TensorValues.ToArray<double>((a + b)));
        CollectionAssert.AreEqual(new double[] { 7, 10, 15, 22 }, TensorValues.ToArray<double>(a.matmul(a)));
        Assert.AreEqual(10.0, a.sum().item<double>());
        CollectionAssert.AreEqual(new double[] { 3, 7 }, TensorValues.ToArray<double>(a.sum(dim: 1)));
        CollectionAssert.AreEqual(new long[] { 1, 1 }, TensorValues.ToArray<long>(a.argmax(dim: 1)));
    }

    [TestMethod]
    public void WholeNumberScalarsKeepIntegerDtype()
    {
        using var scope = torch.NewDisposeScope();
        Tensor lengths = torch.tensor(new long[] { 3, 1, 4 });
        Tensor previous = lengths - 1;
        Assert.AreEqual(ScalarType.Int64, previous.dtype);
        CollectionAssert.AreEqual(new long[] { 2, 0, 3 }, TensorValues.ToArray<long>(previous));
        Assert.AreEqual(ScalarType.Float32, (lengths * 0.5).dtype, "a fractional scalar promotes like PyTorch");
        lengths.add_(2);
        CollectionAssert.AreEqual(new long[] { 5, 3, 6 }, TensorValues.ToArray<long>(lengths));
    }
}
