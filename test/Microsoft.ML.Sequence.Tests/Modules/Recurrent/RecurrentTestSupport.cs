using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Tests.Torch;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

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

    public static RecurrentBase Create(RecurrentMode mode, RecurrentLayerOptions options, RandomGenerator? generator = null) => mode switch
    {
        RecurrentMode.Lstm => new Lstm(options, generator),
        RecurrentMode.Gru => new Gru(options, generator),
        _ => new ElmanRnn(options, generator),
    };

    /// <summary>Converts the layer to float64 and loads the case's weights (same order as the flat list).</summary>
    public static void Load(RecurrentBase layer, RecurrentCase c)
    {
        layer.To(DType.Float64);
        using var scope = TensorScope.Begin();
        Tensor[] weights = c.WeightTensors();
        var state = new Dictionary<string, Tensor>();
        int i = 0;
        foreach (KeyValuePair<string, ModuleParameter> entry in layer.NamedParameters())
        {
            state[entry.Key] = weights[i++];
        }

        Assert.AreEqual(weights.Length, i, "the case and the layer have different weight counts");
        layer.LoadStateDictionary(state);
    }

    public static void AssertClose(double[] expected, Tensor actual, double tolerance, string what)
    {
        double[] values = actual.To(DType.Float64).Contiguous().ToArray<double>();
        AssertClose(expected, values, tolerance, what);
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), $"{what}: shape");
        AssertClose(expected.To(DType.Float64).Contiguous().ToArray<double>(), actual, tolerance, what);
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

    public static double[] Values(Tensor t) => t.To(DType.Float64).Contiguous().ToArray<double>();
}
