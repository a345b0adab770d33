using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Builders and comparisons shared by the recurrent-layer tests.</summary>
internal static class RecurrentTestSupport
{
    public static RecurrentLayerOptions Options(RecurrentMode mode, int input, int hidden, int layers, bool bidirectional,
        RecurrentKernel kernel = RecurrentKernel.Auto, VariableLengthStrategy lengths = VariableLengthStrategy.Auto) => new()
    {
        InputSize = input,
        HiddenSize = hidden,
        LayerCount = layers,
        Bidirectional = bidirectional,
        Kernel = kernel,
        VariableLengths = lengths,
        Nonlinearity = mode == RecurrentMode.RnnRelu ? ElmanNonlinearity.Relu : ElmanNonlinearity.Tanh,
    };

    public static RecurrentBase Create(RecurrentMode mode, RecurrentLayerOptions options, Generator? generator = null) => mode switch
    {
        RecurrentMode.Lstm => new Lstm(options, generator),
        RecurrentMode.Gru => new Gru(options, generator),
        _ => new ElmanRnn(options, generator),
    };

    /// <summary>Converts the layer to float64 and loads the case's weights (same order as the parameters).</summary>
    public static void Load(RecurrentBase layer, RecurrentCase c)
    {
        layer.to(ScalarType.Float64);
        using var scope = torch.NewDisposeScope();
        Tensor[] weights = c.WeightTensors();
        var state = new Dictionary<string, Tensor>();
        int i = 0;
        foreach ((string name, _) in layer.named_parameters())
        {
            state[name] = weights[i++];
        }

        Assert.AreEqual(weights.Length, i, "the case and the layer have different weight counts");
        layer.load_state_dict(state);
    }

    public static void AssertClose(double[] expected, Tensor actual, double tolerance, string what) =>
        AssertClose(expected, Values(actual), tolerance, what);

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape");
        AssertClose(Values(expected), actual, tolerance, what);
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, $"{what}: element count");
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:E0})");
            }
        }
    }

    /// <summary>Asserts that autograd's gradient of <paramref name="loss"/> (a scalar) with respect to every element of
    /// every leaf matches the central difference (step 1e-6) within <paramref name="tolerance"/>, absolute; the leaves
    /// are made to require a gradient, and each evaluation runs in its own dispose scope.</summary>
    public static void AssertGradientsMatchCentralDifferences(Tensor[] leaves, Func<Tensor[], Tensor> loss, double tolerance)
    {
        foreach (Tensor leaf in leaves)
        {
            leaf.requires_grad_();
        }

        double Evaluate(Tensor[] values, bool backward)
        {
            using var scope = torch.NewDisposeScope();
            Tensor value = loss(values);
            if (backward)
            {
                value.backward();
            }

            return value.item<double>();
        }

        Evaluate(leaves, backward: true);
        double[][] analytic = leaves.Select(l => Values(l.grad!)).ToArray();
        Tensor[] plain = leaves.Select(l => l.detach().clone()).ToArray();
        const double h = 1e-6;
        for (int k = 0; k < plain.Length; k++)
        {
            Tensor flat = plain[k].view(-1);
            for (long e = 0; e < flat.numel(); e++)
            {
                double original = flat[e].item<double>();
                flat[e] = original + h;
                double up = Evaluate(plain, backward: false);
                flat[e] = original - h;
                double down = Evaluate(plain, backward: false);
                flat[e] = original;
                Assert.AreEqual((up - down) / (2 * h), analytic[k][e], tolerance, $"leaf {k}, element {e}");
            }
        }
    }

    public static double[] Values(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return TensorValues.ToArray<double>(t.detach().to(ScalarType.Float64));
    }

    public static float[] Floats(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return TensorValues.ToArray<float>(t.detach().to(ScalarType.Float32));
    }

    public static double Max(Tensor t) => Values(t).Max();

    public static Tensor Longs(params long[] values) => torch.tensor(values);

    public static Tensor Randn(Generator generator, params long[] shape) => torch.randn(shape, generator: generator);

    public static Tensor Doubles(double[] data, long[] shape) => torch.tensor(data, shape, ScalarType.Float64);
}
