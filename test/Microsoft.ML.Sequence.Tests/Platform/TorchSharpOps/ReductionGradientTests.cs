using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Gradient checks of TorchSharp's reductions (over all elements, one dim, several dims, keepdim), softmax
/// and matrix products, ported from the deleted binding's ReductionGradientTests.</summary>
/// <remarks>Every dim is passed by name or as an array: a literal 0 would bind to ScalarType. Where TorchSharp 0.107
/// takes one dim only (<c>prod</c>, <c>logsumexp</c>) a reduction over several dims is the chain of single-dim ones;
/// max and min over dims are <c>amax</c> / <c>amin</c>, the norm over dims is <c>linalg.vector_norm</c>.</remarks>
[TestClass]
public sealed class ReductionGradientTests
{
    private static readonly long[] Shape = [2, 3, 4];

    private static Tensor Chain(Tensor x, long[] dims, bool keepDim, Func<Tensor, long, bool, Tensor> single)
    {
        if (dims.Length == 0)
        {
            return single(x.reshape(-1), 0, false);
        }

        // Reduce the highest dim first so the remaining dim indices stay valid without keepdim.
        long[] normalized = dims.Select(d => d < 0 ? d + x.dim() : d).OrderByDescending(d => d).ToArray();
        Tensor y = x;
        foreach (long d in normalized)
        {
            y = single(y, d, keepDim);
        }

        return y;
    }

    [TestMethod]
    [DataRow("Sum")]
    [DataRow("Mean")]
    [DataRow("Max")]
    [DataRow("Min")]
    [DataRow("Prod")]
    [DataRow("LogSumExp")]
    [DataRow("Norm")]
    [DataRow("Std")]
    [DataRow("Var")]
    public void Reduction(string name)
    {
        Func<Tensor, long[], bool, Tensor> op = name switch
        {
            "Sum" => (x, d, k) => d.Length == 0 ? x.sum() : x.sum(dim: d, keepdim: k),
            "Mean" => (x, d, k) => d.Length == 0 ? x.mean() : x.mean(dimensions: d, keepdim: k),
            "Max" => (x, d, k) => d.Length == 0 ? x.max() : x.amax(d, keepdim: k),
            "Min" => (x, d, k) => d.Length == 0 ? x.min() : x.amin(d, keepdim: k),
            "Prod" => (x, d, k) => d.Length == 0 ? x.prod() : Chain(x, d, k, (t, dim, keep) => t.prod(dim: dim, keepdim: keep)),
            "LogSumExp" => (x, d, k) => Chain(x, d, k, (t, dim, keep) => t.logsumexp(dim: dim, keepdim: keep)),
            "Norm" => (x, d, k) => d.Length == 0 ? x.norm() : torch.linalg.vector_norm(x, 2, d, k),
            "Std" => (x, d, k) => d.Length == 0 ? x.std() : x.std(d, unbiased: true, keepdim: k),
            "Var" => (x, d, k) => d.Length == 0 ? x.var() : x.var(d, unbiased: true, keepdim: k),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such reduction"),
        };

        // Max and min need distinct values (no ties); prod keeps its factors near 1 so products stay well scaled.
        double[] data = name switch
        {
            "Max" or "Min" => RandomValues.Distinct(21, Shape),
            "Prod" => RandomValues.AwayFromZero(21, Shape, 0.5, 1.5),
            _ => RandomValues.Uniform(21, Shape, -1.5, 1.5),
        };

        foreach ((long[] dims, bool keepDim) in new (long[], bool)[] { ([], false), ([1], false), ([0, 2], true), ([-1], false) })
        {
            GradientChecker.Check($"{name} over [{string.Join(", ", dims)}] keepDim {keepDim}", x => op(x[0], dims, keepDim),
                GradientInput.Of(data, Shape));
        }
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(-1)]
    public void SoftmaxAndLogSoftmax(int dim)
    {
        var input = GradientInput.Of(RandomValues.Uniform(22, Shape, -2, 2), Shape);
        GradientChecker.Check($"softmax({dim})", x => x[0].softmax(dim: dim), input);
        GradientChecker.Check($"log_softmax({dim})", x => x[0].log_softmax(dim: dim), input);
    }

    [TestMethod]
    public void MatMul()
    {
        GradientChecker.Check("matmul [2,3]x[3,4]", x => x[0].matmul(x[1]),
            GradientInput.Of(RandomValues.Uniform(23, [2, 3]), 2, 3), GradientInput.Of(RandomValues.Uniform(24, [3, 4]), 3, 4));
        GradientChecker.Check("matmul batched [2,2,3]x[3,2]", x => x[0].matmul(x[1]),
            GradientInput.Of(RandomValues.Uniform(25, [2, 2, 3]), 2, 2, 3), GradientInput.Of(RandomValues.Uniform(26, [3, 2]), 3, 2));
        GradientChecker.Check("matmul vector [3]x[3,2]", x => x[0].matmul(x[1]),
            GradientInput.Of(RandomValues.Uniform(27, [3]), 3), GradientInput.Of(RandomValues.Uniform(28, [3, 2]), 3, 2));
    }
}
