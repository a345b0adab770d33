using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform;

/// <summary>What the library relies on from TorchSharp at its managed edge.</summary>
/// <remarks>Measured here (Debian 12, TorchSharp 0.107.0, libtorch 2.10): an error raised inside libtorch (a shape
/// mismatch in <c>matmul</c>, an index out of range, a failed allocation) is NOT turned into a .NET exception — the C++
/// exception finds no handler while unwinding out of libLibTorchSharp.so and the process aborts
/// (<c>terminate called after throwing an instance of 'c10::Error'</c>). Our modules and trainers therefore check
/// shapes, ranges and dtypes in managed code before any native call, and these tests keep to the managed checks.</remarks>
[TestClass]
public sealed class TorchSharpErrorTests
{
    [TestMethod]
    public void UseAfterDisposeThrowsInvalidOperation()
    {
        Tensor t = ones(2);
        t.Dispose();
        Assert.IsTrue(t.IsInvalid);
        Assert.ThrowsExactly<InvalidOperationException>(() => t.exp());
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void UnnamedSumDimensionIsTheScalarTypeTrap()
    {
        // DESIGN "Platform facts": a literal 0 converts to ScalarType, so t.sum(0) is a Byte scalar. Our code names
        // the argument (dim: 0); this test keeps the trap documented should TorchSharp ever change it.
        using var scope = NewDisposeScope();
        Tensor t = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        Assert.AreEqual(ScalarType.Byte, t.sum(0).dtype);
        CollectionAssert.AreEqual(new float[] { 4, 6 }, TensorValues.ToArray<float>(t.sum(dim: 0)));
    }

    private static void AssertThreadStillWorks()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        CollectionAssert.AreEqual(new double[] { 7, 10, 15, 22 }, TensorValues.ToArray<double>(a.matmul(a)));
    }
}
