using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Errors become the right .NET exceptions with libtorch's message (no C++ backtrace), and the thread stays
/// usable: each case is followed by a valid op on the same thread.</summary>
[TestClass]
public sealed class ErrorTests
{
    [TestMethod]
    public void ShapeMismatchCarriesLibtorchMessageWithoutBacktrace()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.Zeros([2, 3]);
        Tensor b = Tensor.Zeros([4, 5]);
        var error = Assert.ThrowsExactly<TorchException>(() => a.MatMul(b));

        string firstLine = error.Message.Split('\n')[0];
        StringAssert.Contains(firstLine, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        AssertNoBacktrace(error);

        Assert.AreEqual("mls_tensor_matmul", error.Export);
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void WrongElementTypeOnReadThrowsInvalidOperation()
    {
        using var scope = TensorScope.Begin();
        Tensor floats = Tensor.From<float>([1, 2, 3]);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => floats.ToArray<long>());
        StringAssert.Contains(error.Message, "float32");
        Assert.ThrowsExactly<InvalidOperationException>(() => floats.Sum().Item<double>());
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void MixingFloatAndInt64InMatMulThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor floats = Tensor.Ones([2, 2]);
        Tensor longs = Tensor.Ones([2, 2], DType.Int64);
        var error = Assert.ThrowsExactly<TorchException>(() => floats.MatMul(longs));
        Assert.IsFalse(string.IsNullOrWhiteSpace(error.NativeMessage));
        AssertNoBacktrace(error);
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void UseAfterDisposeThrowsObjectDisposed()
    {
        Tensor t = Tensor.Ones([2]);
        t.Dispose();
        Assert.IsTrue(t.IsDisposed);
        Assert.ThrowsExactly<ObjectDisposedException>(() => t.Exp());
        Assert.ThrowsExactly<ObjectDisposedException>(() => t.ToArray<float>());
        using (var scope = TensorScope.Begin())
        {
            Tensor live = Tensor.Ones([2]);
            Assert.ThrowsExactly<ObjectDisposedException>(() => live.Add(t));
        }

        t.Dispose(); // a second dispose is harmless
        AssertThreadStillWorks();
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(5)]
    public void MissingCudaDeviceIsRejectedWithIndexAndCount(int index)
    {
        Assert.AreEqual(0, TorchRuntime.CudaDeviceCount, "this test expects the CPU-only libtorch");
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Device.Cuda(index));
        Assert.AreEqual("index", error.ParamName);
        StringAssert.Contains(error.Message, $"CUDA device {index} ");
        StringAssert.Contains(error.Message, "sees 0 CUDA device");
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void LstmWithHiddenButNoCellStateIsRejected()
    {
        using var scope = TensorScope.Begin();
        var c = new RecurrentCase(RecurrentMode.Lstm, 2, 3, 2, 2, 1, false, seed: 7);
        var error = Assert.Throws<ArgumentException>(() => RecurrentKernels.Run(RecurrentMode.Lstm,
            Tensor.From<double>(c.Input, c.InputShape), c.WeightTensors(), 1, false,
            initialHidden: Tensor.From<double>(c.InitialHidden, c.StateShape)));
        StringAssert.Contains(error.Message, "initialCell");
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void WrongWeightCountNamesExpectedAndActualCounts()
    {
        using var scope = TensorScope.Begin();
        var c = new RecurrentCase(RecurrentMode.Gru, 2, 3, 2, 2, 2, true, seed: 7);
        Tensor[] weights = c.WeightTensors();
        var error = Assert.Throws<ArgumentException>(() => RecurrentKernels.Run(RecurrentMode.Gru,
            Tensor.From<double>(c.Input, c.InputShape), weights[..^1], 2, true));
        StringAssert.Contains(error.Message, "Expected 16 weight tensors");
        StringAssert.Contains(error.Message, "got 15");
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void PackingUnsortedLengthsThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor padded = Tensor.Zeros([3, 4, 2]);
        var error = Assert.ThrowsExactly<TorchException>(() =>
            RecurrentKernels.PackPadded(padded, Tensor.From<long>([2, 4, 1])));
        StringAssert.Contains(error.NativeMessage, "sorted");
        Assert.AreEqual("mls_rnn_pack_padded", error.Export);
        AssertNoBacktrace(error);
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void ErrorMessagesStayOnTheirOwnThread()
    {
        // The last-error slot is thread-local: concurrent failures each report their own message, never a neighbour's.
        var messages = new string[8];
        Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using var scope = TensorScope.Begin();
            Tensor a = Tensor.Zeros([2, 3 + i]);
            Tensor b = Tensor.Zeros([4 + i, 5]);
            messages[i] = Assert.ThrowsExactly<TorchException>(() => a.MatMul(b)).NativeMessage;
        });

        for (int i = 0; i < messages.Length; i++)
        {
            StringAssert.Contains(messages[i], $"(2x{3 + i} and {4 + i}x5)");
        }
    }

    [TestMethod]
    public void AllocationFailureIsAnExceptionNotACrash()
    {
        // 2^40 float32 elements = 4 TiB: the allocator refuses, the shim's guard turns it into a TorchException.
        var error = Assert.ThrowsExactly<TorchException>(() => Tensor.Zeros([1L << 40]));
        Assert.AreEqual("mls_tensor_full", error.Export);
        AssertNoBacktrace(error);
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void IndexOutOfRangeThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros([2, 3]);
        var error = Assert.ThrowsExactly<TorchException>(() => x.IndexSelect(1, Tensor.From<long>([0, 3])));
        StringAssert.Contains(error.NativeMessage, "id=3"); // libtorch: "INDICES element is out of DATA bounds, id=3 axis_dim=3"
        AssertNoBacktrace(error);
        Assert.ThrowsExactly<TorchException>(() => NeuralOps.Embedding(x, Tensor.From<long>([5])));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => x.Size(2));
        AssertThreadStillWorks();
    }

    [TestMethod]
    public void UnknownEnumValuesAreRejected()
    {
        using var scope = TensorScope.Begin();
        var c = new RecurrentCase(RecurrentMode.RnnTanh, 2, 3, 2, 2, 1, false, seed: 7);
        Tensor input = Tensor.From<double>(c.Input, c.InputShape);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            RecurrentKernels.Run((RecurrentMode)99, input, c.WeightTensors(), 1, false));
        Tensor logits = Tensor.Zeros([2, 3]);
        var error = Assert.ThrowsExactly<TorchException>(() =>
            Losses.CrossEntropy(logits, Tensor.From<long>([0, 1]), reduction: (LossReduction)7));
        StringAssert.Contains(error.NativeMessage, "unknown reduction code 7");
        AssertThreadStillWorks();
    }

    /// <summary>libtorch's message without its C++ backtrace (what_without_backtrace), then our export line.</summary>
    private static void AssertNoBacktrace(TorchException error)
    {
        foreach (string line in error.Message.Split('\n', StringSplitOptions.TrimEntries))
        {
            Assert.IsFalse(line.StartsWith("frame #", StringComparison.Ordinal), $"backtrace line in message: {line}");
            Assert.IsFalse(line.Contains("Exception raised from", StringComparison.Ordinal), $"backtrace line in message: {line}");
        }

        Assert.IsTrue(error.Message.TrimEnd().EndsWith($"(native call {error.Export})", StringComparison.Ordinal), error.Message);
    }

    private static void AssertThreadStillWorks()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 3, 4], [2, 2]);
        CollectionAssert.AreEqual(new double[] { 7, 10, 15, 22 }, a.MatMul(a).ToArray<double>());
    }
}
