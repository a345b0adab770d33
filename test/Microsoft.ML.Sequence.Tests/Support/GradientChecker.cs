using System.Globalization;
using System.Text;
using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Support;

/// <summary>One input of a gradient check: float64 values, a shape, and whether its gradient is checked.</summary>
/// <param name="Data">Row-major values.</param>
/// <param name="Shape">Shape.</param>
/// <param name="Check">Compare this input's gradient (the tensor is a leaf with requires_grad) or only feed it.</param>
internal sealed record GradientInput(double[] Data, long[] Shape, bool Check = true)
{
    public static GradientInput Of(double[] data, params long[] shape) => new(data, shape);

    public static GradientInput Constant(double[] data, params long[] shape) => new(data, shape, Check: false);
}

/// <summary>
/// Compares libtorch's autograd (through TorchSharp) against central finite differences in float64.
/// </summary>
/// <remarks>
/// The checked scalar is L = Σ op(x) ⊙ W with fixed random weights W (so every output element matters, with a
/// different weight). Autograd: each checked input is a leaf with <c>requires_grad</c>, then <c>L.backward()</c> and
/// <c>grad</c>. Numeric: (L(x + ε eᵢ) − L(x − ε eᵢ)) / 2ε for every element i, evaluated under <c>no_grad</c> from
/// fresh tensors. Both sides run <c>op</c> inside their own dispose scope, so the op may create helper tensors
/// (indices, masks) freely. Parameters of a module (for example a recurrent layer's weights, which its native module
/// reads in place) can be checked too: their gradient is the parameter's <c>grad</c>, and the numeric side perturbs
/// the parameter's value in place and restores it.
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
    public static void Check(string name, Func<Tensor[], Tensor> op, params GradientInput[] inputs) =>
        Check(name, op, [], inputs);

    /// <summary>Checks the gradient of <paramref name="op"/> with respect to every input marked Check and every
    /// parameter in <paramref name="parameters"/> (float64 parameters the op reads).</summary>
    /// <param name="name">Names the case in failure messages.</param>
    /// <param name="op">The operation under test; receives one tensor per input, in order.</param>
    /// <param name="parameters">Parameters whose gradients are checked as well (reported after the inputs).</param>
    /// <param name="inputs">Inputs.</param>
    public static void Check(string name, Func<Tensor[], Tensor> op, IReadOnlyList<Parameter> parameters, params GradientInput[] inputs)
    {
        var (analytic, parameterGradients, weights) = Autograd(op, parameters, inputs);
        var failures = new StringBuilder();
        int failureCount = 0;
        int checkedElements = 0;
        void Compare(string what, int j, double autograd, double numeric)
        {
            checkedElements++;
            if (!(Math.Abs(autograd - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric)) && ++failureCount <= 12)
            {
                failures.AppendLine(CultureInfo.InvariantCulture,
                    $"  {what} element {j}: autograd {autograd:R}, numeric {numeric:R}, difference {autograd - numeric:E2}");
            }
        }

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
                Compare($"input {i}", j, analytic[i]![j], (plus - minus) / (2 * Epsilon));
            }
        }

        for (int p = 0; p < parameters.Count; p++)
        {
            Tensor flat = parameters[p].detach().view(-1);
            for (int j = 0; j < flat.shape[0]; j++)
            {
                using var elementScope = torch.NewDisposeScope();
                double original = flat[j].item<double>();
                using (torch.no_grad())
                {
                    flat[j].fill_(original + Epsilon);
                }

                double plus = Evaluate(op, inputs, -1, null, weights);
                using (torch.no_grad())
                {
                    flat[j].fill_(original - Epsilon);
                }

                double minus = Evaluate(op, inputs, -1, null, weights);
                using (torch.no_grad())
                {
                    flat[j].fill_(original);
                }

                Compare($"parameter {p}", j, parameterGradients[p][j], (plus - minus) / (2 * Epsilon));
            }
        }

        Assert.IsGreaterThan(0, checkedElements, $"{name}: no input element was checked.");
        if (failureCount > 0)
        {
            Assert.Fail($"{name}: {failureCount} of {checkedElements} gradient elements differ from central differences " +
                $"(eps {Epsilon}, rtol {RelativeTolerance}, atol {AbsoluteTolerance}):{Environment.NewLine}{failures}");
        }
    }

    /// <summary>The autograd gradient of each checked input (null for the others), of each parameter, and the loss
    /// weights W.</summary>
    private static (double[]?[] Gradients, double[][] ParameterGradients, double[] Weights) Autograd(Func<Tensor[], Tensor> op,
        IReadOnlyList<Parameter> parameters, GradientInput[] inputs)
    {
        using var scope = torch.NewDisposeScope();
        foreach (Parameter parameter in parameters)
        {
            Assert.AreEqual(ScalarType.Float64, parameter.dtype, "gradient checks run in float64");
            parameter.grad = null;
        }

        var leaves = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            leaves[i] = torch.tensor(inputs[i].Data, inputs[i].Shape, ScalarType.Float64);
            if (inputs[i].Check)
            {
                leaves[i].requires_grad = true;
            }
        }

        Tensor output = op(leaves);
        Assert.AreEqual(ScalarType.Float64, output.dtype, "gradient checks run in float64");
        Assert.IsTrue(output.requires_grad, "the op's output does not require a gradient: autograd did not record it");
        double[] weights = LossWeights(checked((int)output.numel()));
        Tensor loss = (output * torch.tensor(weights, output.shape, ScalarType.Float64)).sum();
        loss.backward();

        var gradients = new double[]?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].Check)
            {
                continue;
            }

            // No gradient at all means no path from this input to the output: numerically that is all zeros.
            Tensor? grad = leaves[i].grad;
            gradients[i] = grad is null ? new double[inputs[i].Data.Length] : TensorValues.ToArray<double>(grad);
            Assert.HasCount(inputs[i].Data.Length, gradients[i]!, $"gradient of input {i} has the wrong size");
        }

        double[][] parameterGradients = parameters
            .Select(p => p.grad is null ? new double[p.numel()] : TensorValues.ToArray<double>(p.grad))
            .ToArray();
        foreach (Parameter parameter in parameters)
        {
            parameter.grad = null;
        }

        return (gradients, parameterGradients, weights);
    }

    private static double Evaluate(Func<Tensor[], Tensor> op, GradientInput[] inputs, int replaced, double[]? replacement,
        double[] weights)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var tensors = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            tensors[i] = torch.tensor(i == replaced ? replacement! : inputs[i].Data, inputs[i].Shape, ScalarType.Float64);
        }

        double[] values = TensorValues.ToArray<double>(op(tensors));
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
