using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Support;

/// <summary>The checker itself must be able to fail: a function whose recorded gradient is wrong is caught.</summary>
[TestClass]
public sealed class GradientCheckerTests
{
    [TestMethod]
    public void DetectsAWrongGradient()
    {
        // f(x) = detach(x) · x: the value is x², autograd sees only one factor (gradient x instead of 2x).
        var input = GradientInput.Of(RandomValues.AwayFromZero(1, [2, 3], 0.5, 2), 2, 3);
        var failure = Assert.Throws<AssertFailedException>(() =>
            GradientChecker.Check("detached square", x => x[0].detach() * x[0], input));
        StringAssert.Contains(failure.Message, "differ from central differences");
    }

    [TestMethod]
    public void AcceptsACorrectGradient()
    {
        var input = GradientInput.Of(RandomValues.AwayFromZero(1, [2, 3], 0.5, 2), 2, 3);
        GradientChecker.Check("square", x => x[0] * x[0], input);
    }

    [TestMethod]
    public void ChecksParametersAndDetectsAWrongParameterGradient()
    {
        using var weight = new Parameter(torch.tensor(RandomValues.AwayFromZero(2, [3], 0.5, 2), ScalarType.Float64));
        var input = GradientInput.Of(RandomValues.AwayFromZero(3, [2, 3], 0.5, 2), 2, 3);
        GradientChecker.Check("x · w", x => x[0] * weight, [weight], input);
        var failure = Assert.Throws<AssertFailedException>(() =>
            GradientChecker.Check("x · detach(w) · w", x => x[0] * weight.detach() * weight, [weight], input));
        StringAssert.Contains(failure.Message, "parameter 0");
    }
}
