using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Gradient checks of joining, indexing, views and reshaping ops.</summary>
[TestClass]
public sealed class ShapeGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape), shape);

    [TestMethod]
    public void CatAndStack()
    {
        GradientChecker.Check("Cat dim 0", x => Tensor.Cat([x[0], x[1]], 0), Input(31, 2, 3), Input(32, 1, 3));
        GradientChecker.Check("Cat dim 1", x => Tensor.Cat([x[0], x[1], x[0]], 1), Input(31, 2, 3), Input(33, 2, 2));
        GradientChecker.Check("Stack dim 1", x => Tensor.Stack([x[0], x[1]], 1), Input(31, 2, 3), Input(34, 2, 3));
    }

    [TestMethod]
    public void IndexSelectGatherScatterAdd()
    {
        // Repeated indices: their gradients must accumulate.
        GradientChecker.Check("IndexSelect", x => x[0].IndexSelect(1, Tensor.From<long>([3, 0, 3, 1])), Input(35, 2, 4));
        GradientChecker.Check("Gather", x => x[0].Gather(1, Tensor.From<long>([0, 2, 2, 1, 1, 0], [2, 3])), Input(36, 2, 3));
        GradientChecker.Check("ScatterAdd", x => x[0].ScatterAdd(1, Tensor.From<long>([0, 2, 0, 1, 1, 2], [2, 3]), x[1]),
            Input(37, 2, 4), Input(38, 2, 3));
    }

    [TestMethod]
    public void Views()
    {
        GradientInput x3 = Input(39, 2, 3, 4);
        GradientChecker.Check("Narrow", x => x[0].Narrow(2, 1, 2), x3);
        GradientChecker.Check("Select", x => x[0].Select(1, -1), x3);
        GradientChecker.Check("Reshape", x => x[0].Reshape(4, -1) * Tensor.Arange(0, 6, dtype: DType.Float64), x3);
        GradientChecker.Check("View", x => x[0].View(6, 4), x3);
        GradientChecker.Check("Permute", x => x[0].Permute(2, 0, 1), x3);
        GradientChecker.Check("Transpose", x => x[0].Transpose(0, 2), x3);
        GradientChecker.Check("Squeeze/Unsqueeze", x => x[0].Unsqueeze(1).Squeeze(0), Input(40, 1, 3));
        GradientChecker.Check("Expand", x => x[0].Expand(2, 3, 4), Input(41, 3, 1));
        GradientChecker.Check("Repeat", x => x[0].Repeat(2, 1, 3), Input(42, 3, 2));
        GradientChecker.Check("Flip", x => x[0].Flip(0, 2), x3);
        GradientChecker.Check("Contiguous after transpose", x => x[0].Transpose(0, 1).Contiguous(), x3);
        GradientChecker.Check("Clone", x => x[0].Clone() * 2, x3);
    }

    [TestMethod]
    public void TrilAndTriu()
    {
        GradientChecker.Check("Tril", x => x[0].Tril(), Input(43, 4, 4));
        GradientChecker.Check("Tril(-1)", x => x[0].Tril(-1), Input(43, 3, 4));
        GradientChecker.Check("Triu(1)", x => x[0].Triu(1), Input(43, 2, 4, 3));
    }
}
