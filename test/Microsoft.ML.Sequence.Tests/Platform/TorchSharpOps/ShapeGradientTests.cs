using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Gradient checks of TorchSharp's joining, indexing, view and reshaping ops, ported from the deleted
/// binding's ShapeGradientTests.</summary>
[TestClass]
public sealed class ShapeGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape), shape);

    [TestMethod]
    public void CatAndStack()
    {
        GradientChecker.Check("cat dim 0", x => torch.cat(new[] { x[0], x[1] }, dim: 0), Input(31, 2, 3), Input(32, 1, 3));
        GradientChecker.Check("cat dim 1", x => torch.cat(new[] { x[0], x[1], x[0] }, dim: 1), Input(31, 2, 3), Input(33, 2, 2));
        GradientChecker.Check("stack dim 1", x => torch.stack(new[] { x[0], x[1] }, dim: 1), Input(31, 2, 3), Input(34, 2, 3));
    }

    [TestMethod]
    public void IndexSelectGatherScatterAdd()
    {
        // Repeated indices: their gradients must accumulate.
        GradientChecker.Check("index_select", x => x[0].index_select(1, torch.tensor(new long[] { 3, 0, 3, 1 })), Input(35, 2, 4));
        GradientChecker.Check("gather", x => x[0].gather(1, torch.tensor(new long[] { 0, 2, 2, 1, 1, 0 }, new long[] { 2, 3 })),
            Input(36, 2, 3));
        GradientChecker.Check("scatter_add", x => x[0].scatter_add(1, torch.tensor(new long[] { 0, 2, 0, 1, 1, 2 }, new long[] { 2, 3 }), x[1]),
            Input(37, 2, 4), Input(38, 2, 3));
    }

    [TestMethod]
    public void Views()
    {
        GradientInput x3 = Input(39, 2, 3, 4);
        GradientChecker.Check("narrow", x => x[0].narrow(2, 1, 2), x3);
        GradientChecker.Check("select", x => x[0].select(1, -1), x3);
        GradientChecker.Check("reshape", x => x[0].reshape(4, -1) * torch.arange(0, 6, dtype: ScalarType.Float64), x3);
        GradientChecker.Check("view", x => x[0].view(6, 4), x3);
        GradientChecker.Check("permute", x => x[0].permute(2, 0, 1), x3);
        GradientChecker.Check("transpose", x => x[0].transpose(0, 2), x3);
        GradientChecker.Check("squeeze/unsqueeze", x => x[0].unsqueeze(1).squeeze(0), Input(40, 1, 3));
        GradientChecker.Check("expand", x => x[0].expand(2, 3, 4), Input(41, 3, 1));
        GradientChecker.Check("repeat", x => x[0].repeat(2, 1, 3), Input(42, 3, 2));
        GradientChecker.Check("flip", x => x[0].flip(0, 2), x3);
        GradientChecker.Check("contiguous after transpose", x => x[0].transpose(0, 1).contiguous(), x3);
        GradientChecker.Check("clone", x => x[0].clone() * 2, x3);
    }

    [TestMethod]
    public void TrilAndTriu()
    {
        GradientChecker.Check("tril", x => x[0].tril(), Input(43, 4, 4));
        GradientChecker.Check("tril(-1)", x => x[0].tril(-1), Input(43, 3, 4));
        GradientChecker.Check("triu(1)", x => x[0].triu(1), Input(43, 2, 4, 3));
    }
}
