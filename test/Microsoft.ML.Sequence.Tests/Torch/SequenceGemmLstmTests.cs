using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>The shim's LSTM kernel (<see cref="RecurrentBackend.SequenceGemm"/>) against libtorch's <c>at::lstm</c>
/// on identical inputs: outputs, final states and every gradient, padded and packed, in float64.</summary>
[TestClass]
public sealed class SequenceGemmLstmTests
{
    public static IEnumerable<object[]> Cases =>
    [
        [1, false, true, false], [1, true, true, false], [2, true, true, false],
        [2, true, false, false], [1, false, true, true], [2, true, true, true],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MatchesLibTorchValuesAndGradients(int layers, bool bidirectional, bool withBiases, bool packed)
    {
        var c = new RecurrentCase(RecurrentMode.Lstm, batch: 3, steps: 4, features: 3, hidden: 2, layers, bidirectional, seed: 7);
        long[] lengths = packed ? [4, 3, 1] : [4, 4, 4];
        (double[][] ours, double[][] oursGrads) = Run(c, lengths, withBiases, packed, RecurrentBackend.SequenceGemm);
        (double[][] theirs, double[][] theirGrads) = Run(c, lengths, withBiases, packed, RecurrentBackend.LibTorch);
        string[] names = ["output", "final hidden", "final cell"];
        for (int i = 0; i < ours.Length; i++)
        {
            AssertClose(theirs[i], ours[i], 1e-12, names[i]);
        }

        for (int i = 0; i < oursGrads.Length; i++)
        {
            AssertClose(theirGrads[i], oursGrads[i], 1e-10, $"gradient of leaf {i}");
        }
    }

    [TestMethod]
    public void GradientsMatchFiniteDifferences()
    {
        var c = new RecurrentCase(RecurrentMode.Lstm, batch: 2, steps: 3, features: 2, hidden: 2, layers: 1, bidirectional: true, seed: 3);
        GradientChecker.Check("sequence-GEMM LSTM",
            x =>
            {
                RecurrentKernelOutput r = RecurrentKernels.Run(RecurrentMode.Lstm, x[0], x[1..9], 1, bidirectional: true,
                    initialHidden: x[9], initialCell: x[10], backend: RecurrentBackend.SequenceGemm);
                return Tensor.Cat([r.Output.Reshape(-1), r.FinalHidden.Reshape(-1), r.FinalCell!.Reshape(-1)]);
            },
            [GradientInput.Of(c.Input, c.InputShape), ..c.Weights.Select(w => GradientInput.Of(w.Data, w.Shape)),
             GradientInput.Of(c.InitialHidden, c.StateShape), GradientInput.Of(c.InitialCell!, c.StateShape)]);
    }

    [TestMethod]
    public void OnlyLstmWithoutKernelDropoutIsAccepted()
    {
        using var scope = TensorScope.Begin();
        var c = new RecurrentCase(RecurrentMode.Gru, batch: 2, steps: 2, features: 2, hidden: 2, layers: 2, bidirectional: false, seed: 1);
        Tensor[] w = c.WeightTensors();
        var gru = Assert.ThrowsExactly<ArgumentException>(() => RecurrentKernels.Run(RecurrentMode.Gru, Tensor.From<double>(c.Input, c.InputShape),
            w, 2, false, backend: RecurrentBackend.SequenceGemm));
        StringAssert.Contains(gru.Message, "Gru");
    }

    private static (double[][] Values, double[][] Gradients) Run(RecurrentCase c, long[] lengths, bool withBiases, bool packed,
        RecurrentBackend backend)
    {
        using var scope = TensorScope.Begin();
        Tensor input = Tensor.From<double>(c.Input, c.InputShape);
        Tensor[] weights = c.WeightTensors().Where((_, i) => withBiases || i % 4 < 2).ToArray();
        Tensor h0 = Tensor.From<double>(c.InitialHidden, c.StateShape);
        Tensor c0 = Tensor.From<double>(c.InitialCell!, c.StateShape);
        Tensor[] leaves = [input, .. weights, h0, c0];
        foreach (Tensor leaf in leaves)
        {
            leaf.RequiresGrad = true;
        }

        RecurrentKernelOutput result;
        if (packed)
        {
            PackedSequenceData data = RecurrentKernels.PackPadded(input, Tensor.From(lengths));
            RecurrentKernelOutput raw = RecurrentKernels.Run(RecurrentMode.Lstm, data.Data, weights, c.Layers, c.Bidirectional,
                hasBiases: withBiases, batchSizes: data.BatchSizes, initialHidden: h0, initialCell: c0, backend: backend);
            PaddedSequenceData padded = RecurrentKernels.PadPacked(raw.Output, data.BatchSizes, totalLength: c.Steps);
            result = raw with { Output = padded.Padded };
        }
        else
        {
            result = RecurrentKernels.Run(RecurrentMode.Lstm, input, weights, c.Layers, c.Bidirectional, hasBiases: withBiases,
                initialHidden: h0, initialCell: c0, backend: backend);
        }

        // A loss that weights every output element differently, so no gradient can hide behind symmetry.
        Tensor[] outputs = [result.Output, result.FinalHidden, result.FinalCell!];
        Tensor loss = Tensor.Scalar(0, DType.Float64);
        for (int i = 0; i < outputs.Length; i++)
        {
            Tensor o = outputs[i];
            Tensor w = Tensor.From<double>(RandomValues.Uniform(50 + i, o.Shape.ToArray()), o.Shape.ToArray());
            loss = loss + (o * w).Sum();
        }

        loss.Backward();
        return (outputs.Select(o => o.Contiguous().ToArray<double>()).ToArray(),
            leaves.Select(l => l.Grad!.ToArray<double>()).ToArray());
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], tolerance, $"{what}, element {i}");
        }
    }
}
