using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class GradientClippingTests
{
    [TestMethod]
    public void ClipByGlobalNormScalesAllGradientsTogether()
    {
        using var scope = TensorScope.Begin();
        using var a = new ModuleParameter(Tensor.From<double>([0.0, 0.0]));
        using var b = new ModuleParameter(Tensor.From<double>([0.0]));
        using var none = new ModuleParameter(Tensor.From<double>([0.0]));
        a.Value.SetGrad(Tensor.From<double>([3.0, 4.0]));
        b.Value.SetGrad(Tensor.From<double>([12.0]));

        double total = GradientClipping.ClipByGlobalNorm([a, b, none], maxNorm: 6.5);

        Assert.AreEqual(13.0, total, 1e-12); // √(9 + 16 + 144)
        double scale = 6.5 / (13.0 + 1e-6);
        double[] ga = a.Grad!.ToArray<double>();
        Assert.AreEqual(3.0 * scale, ga[0], 1e-12);
        Assert.AreEqual(4.0 * scale, ga[1], 1e-12);
        Assert.AreEqual(12.0 * scale, b.Grad!.ToArray<double>()[0], 1e-12);
        Assert.IsNull(none.Grad);
    }

    [TestMethod]
    public void ClipByGlobalNormLeavesSmallGradientsAlone()
    {
        using var scope = TensorScope.Begin();
        using var a = new ModuleParameter(Tensor.From<double>([0.0, 0.0]));
        a.Value.SetGrad(Tensor.From<double>([3.0, 4.0]));
        Assert.AreEqual(5.0, GradientClipping.ClipByGlobalNorm([a], maxNorm: 10), 1e-12);
        CollectionAssert.AreEqual(new[] { 3.0, 4.0 }, a.Grad!.ToArray<double>());
        using var noGradient = new ModuleParameter(Tensor.From<double>([1.0]));
        Assert.AreEqual(0.0, GradientClipping.ClipByGlobalNorm([noGradient], 1));
    }

    [TestMethod]
    public void ClipByValueClampsEachElement()
    {
        using var scope = TensorScope.Begin();
        using var a = new ModuleParameter(Tensor.From<double>([0.0, 0.0, 0.0]));
        a.Value.SetGrad(Tensor.From<double>([-3.0, 0.5, 2.0]));
        GradientClipping.ClipByValue([a], limit: 1);
        CollectionAssert.AreEqual(new[] { -1.0, 0.5, 1.0 }, a.Grad!.ToArray<double>());
    }

    [TestMethod]
    public void InvalidLimitsThrow()
    {
        using var scope = TensorScope.Begin();
        using var a = new ModuleParameter(Tensor.From<double>([0.0]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([a], 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue([a], double.NaN));
    }
}
