using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Gradient checks of reductions (with and without dims, keepDim), softmax and matrix products.</summary>
[TestClass]
public sealed class ReductionGradientTests
{
    private static readonly long[] Shape = [2, 3, 4];

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
            "Sum" => (x, d, k) => x.Sum(d, k),
            "Mean" => (x, d, k) => x.Mean(d, k),
            "Max" => (x, d, k) => x.Max(d, k),
            "Min" => (x, d, k) => x.Min(d, k),
            "Prod" => (x, d, k) => x.Prod(d, k),
            "LogSumExp" => (x, d, k) => x.LogSumExp(d, k),
            "Norm" => (x, d, k) => x.Norm(d, k),
            "Std" => (x, d, k) => x.Std(d, k),
            "Var" => (x, d, k) => x.Var(d, k),
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
        GradientChecker.Check($"Softmax({dim})", x => x[0].Softmax(dim), input);
        GradientChecker.Check($"LogSoftmax({dim})", x => x[0].LogSoftmax(dim), input);
    }

    [TestMethod]
    public void MatMul()
    {
        GradientChecker.Check("MatMul [2,3]x[3,4]", x => x[0].MatMul(x[1]),
            GradientInput.Of(RandomValues.Uniform(23, [2, 3]), 2, 3), GradientInput.Of(RandomValues.Uniform(24, [3, 4]), 3, 4));
        GradientChecker.Check("MatMul batched [2,2,3]x[3,2]", x => x[0].MatMul(x[1]),
            GradientInput.Of(RandomValues.Uniform(25, [2, 2, 3]), 2, 2, 3), GradientInput.Of(RandomValues.Uniform(26, [3, 2]), 3, 2));
        GradientChecker.Check("MatMul vector [3]x[3,2]", x => x[0].MatMul(x[1]),
            GradientInput.Of(RandomValues.Uniform(27, [3]), 3), GradientInput.Of(RandomValues.Uniform(28, [3, 2]), 3, 2));
    }
}
