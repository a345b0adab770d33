using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Gradient checks, through TorchSharp, of unary functions, broadcasting binary ops, clamp, where and masked
/// fill (ported from the deleted binding's ElementwiseGradientTests).</summary>
[TestClass]
public sealed class ElementwiseGradientTests
{
    [TestMethod]
    [DataRow("Neg")]
    [DataRow("Abs")]
    [DataRow("Exp")]
    [DataRow("Log")]
    [DataRow("Log1p")]
    [DataRow("Sqrt")]
    [DataRow("Rsqrt")]
    [DataRow("Sin")]
    [DataRow("Cos")]
    [DataRow("Tanh")]
    [DataRow("Sigmoid")]
    [DataRow("Relu")]
    [DataRow("Gelu")]
    [DataRow("Silu")]
    [DataRow("Reciprocal")]
    [DataRow("Square")]
    [DataRow("Erf")]
    [DataRow("Softplus")]
    public void UnaryFunction(string name)
    {
        (Func<Tensor, Tensor> op, bool positiveOnly) = name switch
        {
            "Neg" => ((Func<Tensor, Tensor>)(x => x.neg()), false),
            "Abs" => (x => x.abs(), false),
            "Exp" => (x => x.exp(), false),
            "Log" => (x => x.log(), true),
            "Log1p" => (x => x.log1p(), true),
            "Sqrt" => (x => x.sqrt(), true),
            "Rsqrt" => (x => x.rsqrt(), true),
            "Sin" => (x => x.sin(), false),
            "Cos" => (x => x.cos(), false),
            "Tanh" => (x => x.tanh(), false),
            "Sigmoid" => (x => x.sigmoid(), false),
            "Relu" => (x => x.relu(), false),
            "Gelu" => (x => x.gelu(), false),
            "Silu" => (x => x.silu(), false),
            "Reciprocal" => (x => x.reciprocal(), false),
            "Square" => (x => x.square(), false),
            "Erf" => (x => x.erf(), false),
            "Softplus" => (x => nn.functional.softplus(x), false),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such unary function"),
        };

        // Away from the kinks (relu, abs at 0) and poles (reciprocal); log, sqrt and rsqrt get positive inputs.
        double[] data = positiveOnly ? RandomValues.Uniform(7, [3, 4], 0.2, 2.5) : RandomValues.AwayFromZero(7, [3, 4], 0.1, 2.5);
        GradientChecker.Check(name, x => op(x[0]), GradientInput.Of(data, 3, 4));
    }

    [TestMethod]
    [DataRow("Add")]
    [DataRow("Sub")]
    [DataRow("Mul")]
    [DataRow("Div")]
    [DataRow("Pow")]
    [DataRow("Maximum")]
    [DataRow("Minimum")]
    public void BinaryOpWithBroadcasting(string name)
    {
        Func<Tensor, Tensor, Tensor> op = name switch
        {
            "Add" => (a, b) => a + b,
            "Sub" => (a, b) => a - b,
            "Mul" => (a, b) => a * b,
            "Div" => (a, b) => a / b,
            "Pow" => (a, b) => a.pow(b),
            "Maximum" => (a, b) => a.maximum(b),
            "Minimum" => (a, b) => a.minimum(b),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such binary op"),
        };

        // right [3] broadcasts over left [2, 3]: its gradient sums over the broadcast rows.
        double[] right = name switch
        {
            "Div" => RandomValues.AwayFromZero(11, [3], 0.5, 2),
            _ => RandomValues.Uniform(11, [3], -1.5, 1.5),
        };
        double[] left = name == "Pow" ? RandomValues.Uniform(12, [2, 3], 0.3, 2) : RandomValues.Uniform(12, [2, 3], -1.5, 1.5);
        if (name is "Maximum" or "Minimum")
        {
            // Keep every pair at least 0.1 apart so maximum/minimum are differentiable.
            double[] offsets = RandomValues.AwayFromZero(13, [2, 3], 0.1, 1);
            for (int i = 0; i < left.Length; i++)
            {
                left[i] = right[i % 3] + offsets[i];
            }
        }

        GradientChecker.Check($"{name} [2,3] with [3]", x => op(x[0], x[1]),
            GradientInput.Of(left, 2, 3), GradientInput.Of(right, 3));
        // And the other way round: a column [2, 1] against a row [1, 3].
        double[] column = name == "Pow" ? RandomValues.Uniform(14, [2, 1], 0.3, 2) : RandomValues.AwayFromZero(14, [2, 1], 0.5, 2);
        double[] row = name is "Maximum" or "Minimum" ? [-2.2, 0.35, 2.7] : RandomValues.AwayFromZero(15, [1, 3], 0.5, 1.5);
        GradientChecker.Check($"{name} [2,1] with [1,3]", x => op(x[0], x[1]),
            GradientInput.Of(column, 2, 1), GradientInput.Of(row, 1, 3));
    }

    [TestMethod]
    public void ScalarOperands()
    {
        double[] data = RandomValues.Uniform(3, [2, 3], 0.3, 2);
        GradientChecker.Check("x + 2, x - 1, x * 3, x / 4, x ^ 2.5, 1 / x, 2 - x",
            x => torch.cat(new[] { (x[0] + 2).reshape(-1), (x[0] - 1).reshape(-1), (x[0] * 3).reshape(-1), (x[0] / 4).reshape(-1),
                x[0].pow(2.5).reshape(-1), (1.0 / x[0]).reshape(-1), (2.0 - x[0]).reshape(-1) }, dim: 0),
            GradientInput.Of(data, 2, 3));
    }

    [TestMethod]
    public void Clamp()
    {
        double[] data = RandomValues.Uniform(4, [3, 4], -2, 2);
        for (int i = 0; i < data.Length; i++)
        {
            // Keep clear of the bounds -0.5 and 0.7, where clamp has no derivative.
            if (Math.Abs(data[i] + 0.5) < 0.1 || Math.Abs(data[i] - 0.7) < 0.1)
            {
                data[i] += 0.25;
            }
        }

        GradientChecker.Check("clamp(-0.5, 0.7)", x => x[0].clamp(-0.5, 0.7), GradientInput.Of(data, 3, 4));
        GradientChecker.Check("clamp_min(-0.5)", x => x[0].clamp_min(-0.5), GradientInput.Of(data, 3, 4));
        GradientChecker.Check("clamp_max(0.7)", x => x[0].clamp_max(0.7), GradientInput.Of(data, 3, 4));
    }

    [TestMethod]
    public void Where()
    {
        bool[] condition = [true, false, false, true, true, false];
        GradientChecker.Check("where", x => torch.where(torch.tensor(condition, new long[] { 2, 3 }), x[0], x[1]),
            GradientInput.Of(RandomValues.Uniform(5, [2, 3]), 2, 3), GradientInput.Of(RandomValues.Uniform(6, [3]), 3));
    }

    [TestMethod]
    public void MaskedFill()
    {
        bool[] mask = [false, true, false, true, false, false];
        GradientChecker.Check("masked_fill", x => x[0].masked_fill(torch.tensor(mask, new long[] { 2, 3 }), -4),
            GradientInput.Of(RandomValues.Uniform(5, [2, 3]), 2, 3));
    }
}
