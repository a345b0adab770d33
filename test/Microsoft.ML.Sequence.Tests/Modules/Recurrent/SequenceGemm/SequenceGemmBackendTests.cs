using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent.SequenceGemm;

/// <summary><see cref="RecurrentLayerOptions.Backend"/>: a layer gives the same outputs, final states and gradients
/// (input, every parameter, the initial state) with <see cref="RecurrentBackend.TorchSharp"/> and
/// <see cref="RecurrentBackend.SequenceGemm"/>, in float64, to 1e-10 (values) and 1e-8 (gradients).</summary>
[TestClass]
public sealed class SequenceGemmBackendTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (RecurrentMode mode in new[] { RecurrentMode.Lstm, RecurrentMode.Gru })
        {
            yield return [mode, 1, false, true, false];
            yield return [mode, 2, true, true, false];
            yield return [mode, 2, true, false, false];
            yield return [mode, 3, true, true, true];
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void LayerMatchesTorchSharpBackend(RecurrentMode mode, int layers, bool bidirectional, bool mixedLengths, bool residualAndDropout)
    {
        long[] lengths = mixedLengths ? [3, 6, 1, 6, 4] : [6, 6, 6, 6, 6];
        (double[][] theirs, double[][] theirGradients) = Run(mode, RecurrentBackend.TorchSharp, layers, bidirectional, lengths, residualAndDropout);
        (double[][] ours, double[][] ourGradients) = Run(mode, RecurrentBackend.SequenceGemm, layers, bidirectional, lengths, residualAndDropout);
        (double[][] auto, _) = Run(mode, RecurrentBackend.Auto, layers, bidirectional, lengths, residualAndDropout);
        Assert.HasCount(theirs.Length, ours);
        for (int i = 0; i < ours.Length; i++)
        {
            RecurrentTestSupport.AssertClose(theirs[i], ours[i], 1e-10, $"value {i}");
            RecurrentTestSupport.AssertClose(theirs[i], auto[i], 1e-10, $"value {i} (Auto)");
        }

        Assert.HasCount(theirGradients.Length, ourGradients);
        for (int i = 0; i < ourGradients.Length; i++)
        {
            RecurrentTestSupport.AssertClose(theirGradients[i], ourGradients[i], 1e-8, $"gradient {i}");
        }
    }

    [TestMethod]
    public void UnsupportedCombinationsAreRejected()
    {
        var elman = new RecurrentLayerOptions { InputSize = 2, HiddenSize = 2, Backend = RecurrentBackend.SequenceGemm };
        var error = Assert.ThrowsExactly<NotSupportedException>(() => new ElmanRnn(elman));
        StringAssert.Contains(error.Message, "RnnTanh");
        var masked = new RecurrentLayerOptions
        {
            InputSize = 2, HiddenSize = 2, Backend = RecurrentBackend.SequenceGemm, VariableLengths = VariableLengthStrategy.Masked,
        };
        var conflict = Assert.ThrowsExactly<ArgumentException>(masked.Validate);
        Assert.AreEqual(nameof(RecurrentLayerOptions.Backend), conflict.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(new RecurrentLayerOptions { Backend = (RecurrentBackend)7 }.Validate);
        Assert.AreEqual(RecurrentBackend.Auto, new RecurrentLayerOptions().Backend);
    }

    private static (double[][] Values, double[][] Gradients) Run(RecurrentMode mode, RecurrentBackend backend, int layers,
        bool bidirectional, long[] lengths, bool residualAndDropout)
    {
        using var scope = torch.NewDisposeScope();
        const int features = 3, hidden = 4, steps = 6;
        RecurrentLayerOptions options = RecurrentTestSupport.Options(mode, features, hidden, layers, bidirectional);
        options.Backend = backend;
        options.LearnedInitialState = true;
        if (residualAndDropout)
        {
            options.Residual = true;
            options.Dropout = 0.3;
        }

        // Same seed: same initial weights and the same dropout masks on both backends.
        using RecurrentBase layer = RecurrentTestSupport.Create(mode, options, new Generator(21));
        layer.to(ScalarType.Float64);
        layer.train();
        var data = new Generator(5);
        using (torch.no_grad())
        {
            foreach (var p in layer.parameters())
            {
                p.uniform_(-0.6, 0.6, data);
            }
        }

        Tensor x = torch.empty(lengths.Length, steps, features, dtype: ScalarType.Float64).uniform_(-1, 1, data).requires_grad_();
        RecurrentOutput result = layer.Forward(x, torch.tensor(lengths));
        Tensor[] values = result.FinalCell is null ? [result.Output, result.FinalHidden] : [result.Output, result.FinalHidden, result.FinalCell];
        Tensor loss = torch.zeros(1, dtype: ScalarType.Float64);
        var weights = new Generator(9);
        foreach (Tensor v in values)
        {
            loss = loss + (v * torch.empty(v.shape, dtype: ScalarType.Float64).uniform_(-1, 1, weights)).sum();
        }

        loss.backward();
        Tensor[] leaves = [x, .. layer.parameters()];
        return (values.Select(SequenceGemmCase.ToArray).ToArray(), leaves.Select(l => SequenceGemmCase.ToArray(l.grad!)).ToArray());
    }
}
