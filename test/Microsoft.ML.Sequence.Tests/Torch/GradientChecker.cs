using System.Globalization;
using System.Text;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>One input of a gradient check: float64 values, a shape, and whether its gradient is checked.</summary>
/// <param name="Data">Row-major values.</param>
/// <param name="Shape">Shape.</param>
/// <param name="Check">Compare this input's gradient (the tensor is a leaf with RequiresGrad) or only feed it.</param>
internal sealed record GradientInput(double[] Data, long[] Shape, bool Check = true)
{
    public static GradientInput Of(double[] data, params long[] shape) => new(data, shape);

    public static GradientInput Constant(double[] data, params long[] shape) => new(data, shape, Check: false);
}

/// <summary>
/// Compares libtorch's autograd against central finite differences in float64.
/// </summary>
/// <remarks>
/// The checked scalar is L = Σ op(x) ⊙ W with fixed random weights W (so every output element matters, with a
/// different weight). Autograd: each checked input is a leaf with <c>RequiresGrad</c>, then <c>L.Backward()</c> and
/// <c>Grad</c>. Numeric: (L(x + ε eᵢ) − L(x − ε eᵢ)) / 2ε for every element i, evaluated under a
/// <see cref="NoGradScope"/> from fresh tensors. Both sides run <paramref name="op"/> inside their own
/// <see cref="TensorScope"/>, so the op may create helper tensors (indices, masks) freely.
/// </remarks>
internal static class GradientChecker
{
    public const double Epsilon = 1e-6;
    public const double RelativeTolerance = 1e-5;
    public const double AbsoluteTolerance = 1e-7;

    /// <summary>Checks the gradient of <paramref name="op"/> with respect to every input marked Check.</summary>
    /// <param name="name">Names the case in failure messages.</param>
    /// <param name="op">The operation under test; receives one tensor per input, in order.</param>
    /// <param name="inputs">Inputs.</param>
    public static void Check(string name, Func<Tensor[], Tensor> op, params GradientInput[] inputs)
    {
        var (analytic, weights) = Autograd(op, inputs);
        var failures = new StringBuilder();
        int failureCount = 0;
        int checkedElements = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].Check)
            {
                continue;
            }

            double[] data = (double[])inputs[i].Data.Clone();
            for (int j = 0; j < data.Length; j++)
            {
                double original = data[j];
                data[j] = original + Epsilon;
                double plus = Evaluate(op, inputs, i, data, weights);
                data[j] = original - Epsilon;
                double minus = Evaluate(op, inputs, i, data, weights);
                data[j] = original;
                double numeric = (plus - minus) / (2 * Epsilon);
                double autograd = analytic[i]![j];
                checkedElements++;
                if (!(Math.Abs(autograd - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric)))
                {
                    if (++failureCount <= 12)
                    {
                        failures.AppendLine(CultureInfo.InvariantCulture,
                            $"  input {i} element {j}: autograd {autograd:R}, numeric {numeric:R}, difference {autograd - numeric:E2}");
                    }
                }
            }
        }

        Assert.IsGreaterThan(0, checkedElements, $"{name}: no input element was checked.");
        if (failureCount > 0)
        {
            Assert.Fail($"{name}: {failureCount} of {checkedElements} gradient elements differ from central differences " +
                $"(eps {Epsilon}, rtol {RelativeTolerance}, atol {AbsoluteTolerance}):{Environment.NewLine}{failures}");
        }
    }

    /// <summary>The autograd gradient of each checked input (null for the others) and the loss weights W.</summary>
    private static (double[]?[] Gradients, double[] Weights) Autograd(Func<Tensor[], Tensor> op, GradientInput[] inputs)
    {
        using var scope = TensorScope.Begin();
        var leaves = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            leaves[i] = Tensor.From<double>(inputs[i].Data, inputs[i].Shape);
            if (inputs[i].Check)
            {
                leaves[i].RequiresGrad = true;
            }
        }

        Tensor output = op(leaves);
        Assert.AreEqual(DType.Float64, output.DType, "gradient checks run in float64");
        Assert.IsTrue(output.RequiresGrad, "the op's output does not require a gradient: autograd did not record it");
        double[] weights = LossWeights(checked((int)output.ElementCount));
        Tensor loss = (output * Tensor.From<double>(weights, output.Shape.ToArray())).Sum();
        loss.Backward();

        var gradients = new double[]?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].Check)
            {
                continue;
            }

            // No gradient at all means no path from this input to the output: numerically that is all zeros.
            Tensor? grad = leaves[i].Grad;
            gradients[i] = grad?.ToArray<double>() ?? new double[inputs[i].Data.Length];
            Assert.AreEqual(inputs[i].Data.Length, gradients[i]!.Length, $"gradient of input {i} has the wrong size");
        }

        return (gradients, weights);
    }

    private static double Evaluate(Func<Tensor[], Tensor> op, GradientInput[] inputs, int replaced, double[] replacement,
        double[] weights)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGradScope.Begin();
        var tensors = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            tensors[i] = Tensor.From<double>(i == replaced ? replacement : inputs[i].Data, inputs[i].Shape);
        }

        double[] values = op(tensors).ToArray<double>();
        double sum = 0;
        for (int k = 0; k < values.Length; k++)
        {
            sum += values[k] * weights[k];
        }

        return sum;
    }

    /// <summary>Fixed weights in ±[0.5, 1.5]: no output element is ignored or weighted alike.</summary>
    private static double[] LossWeights(int count)
    {
        var random = new Random(20240607);
        var weights = new double[count];
        for (int k = 0; k < count; k++)
        {
            double magnitude = 0.5 + random.NextDouble();
            weights[k] = random.Next(2) == 0 ? -magnitude : magnitude;
        }

        return weights;
    }
}
