using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>Copies of tensor values into arrays (<see cref="TensorValues"/>).</summary>
[TestClass]
public sealed class TensorValuesTests
{
    [TestMethod]
    public void ValuesComeInRowMajorOrderAlsoFromAStridedView()
    {
        using var scope = NewDisposeScope();
        Tensor t = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3, 4, 5 }, TensorValues.ToArray<float>(t));
        CollectionAssert.AreEqual(new float[] { 0, 3, 1, 4, 2, 5 }, TensorValues.ToArray<float>(t.t()));
        CollectionAssert.AreEqual(new long[] { 7 }, TensorValues.ToArray<long>(tensor(new long[] { 7 })));
    }
}
