using Microsoft.ML.Sequence.Modules.Convolution;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Convolution;

[TestClass]
public sealed class ConvolutionBlockStackTests
{
    [TestMethod]
    public void ImagesCollapseTheirHeightAndKeepAStridedTimeAxis()
    {
        using var generator = new Generator(5);
        using var stack = new ConvolutionBlockStack(1, [new(4, 2, 2), new(6, 2, 1), new(8, 3, 1)], twoDimensional: true, generator);
        using var scope = NewDisposeScope();
        Tensor output = stack.call(randn([2, 1, 24, 37], generator: generator));
        CollectionAssert.AreEqual(new long[] { 2, 8, 2, 18 }, output.shape);
        Assert.AreEqual(12, stack.HeightReduction);
        Assert.AreEqual(18, stack.OutputLength(37));
        Assert.AreEqual(8, stack.OutputChannels);
        CollectionAssert.IsSubsetOf(new[] { "conv0.weight", "norm0.running_mean", "norm2.num_batches_tracked" }, stack.state_dict().Keys.ToArray());
        Assert.IsFalse(stack.state_dict().ContainsKey("conv0.bias"), "batch norm's shift replaces the convolution bias");
    }

    [TestMethod]
    public void FeatureSequencesRunOneDimensionalBlocksAndTheSameSeedGivesTheSameWeights()
    {
        using var first = new Generator(9);
        using var second = new Generator(9);
        using var a = new ConvolutionBlockStack(40, [new(16, 1, 2), new(16, 1, 2)], twoDimensional: false, first);
        using var b = new ConvolutionBlockStack(40, [new(16, 1, 2), new(16, 1, 2)], twoDimensional: false, second);
        using var scope = NewDisposeScope();
        Assert.IsTrue(a.state_dict()["conv1.weight"].allclose(b.state_dict()["conv1.weight"], rtol: 0, atol: 0));
        CollectionAssert.AreEqual(new long[] { 3, 16, 25 }, a.call(randn(3, 40, 101)).shape);
        Assert.AreEqual(25, a.OutputLength(101));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ConvolutionBlockStack(40, [new(16, 2, 1)], twoDimensional: false, null));
    }
}
