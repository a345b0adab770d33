using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// The fused kernel (TorchSharp's native modules, through <see cref="RecurrentBase"/>) against
/// <see cref="RecurrentReference"/>, a scalar C# implementation of the equations, at 1e-10 in float64: padded (equal
/// lengths) and packed (uneven lengths).
/// </summary>
[TestClass]
public sealed class RecurrentStepTests
{
    private const double Tolerance = 1e-10;

    public static IEnumerable<object[]> Configurations()
    {
        foreach (RecurrentMode mode in new[] { RecurrentMode.Lstm, RecurrentMode.Gru, RecurrentMode.RnnTanh, RecurrentMode.RnnRelu })
        {
            yield return [mode, 1, false];
            yield return [mode, 1, true];
            yield return [mode, 2, false];
            yield return [mode, 2, true];
        }
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void PaddedMatchesReference(RecurrentMode mode, int layers, bool bidirectional)
    {
        var c = new RecurrentCase(mode, batch: 2, steps: 4, features: 3, hidden: 3, layers, bidirectional, seed: 300);
        var (expected, expectedHidden, expectedCell) = c.Reference([4, 4]);
        using var scope = torch.NewDisposeScope();
        using RecurrentBase layer = RecurrentTestSupport.Create(mode,
            RecurrentTestSupport.Options(mode, 3, 3, layers, bidirectional, RecurrentKernel.Fused));
        RecurrentTestSupport.Load(layer, c);
        RecurrentOutput result = layer.Forward(RecurrentTestSupport.Doubles(c.Input, c.InputShape), null,
            RecurrentTestSupport.Doubles(c.InitialHidden, c.StateShape),
            c.InitialCell is null ? null : RecurrentTestSupport.Doubles(c.InitialCell, c.StateShape));
        string what = $"{c} padded";
        CollectionAssert.AreEqual(new long[] { 2, 4, c.Directions * 3 }, result.Output.shape, what);
        RecurrentTestSupport.AssertClose(expected, result.Output, Tolerance, $"{what}: output");
        RecurrentTestSupport.AssertClose(expectedHidden, result.FinalHidden, Tolerance, $"{what}: final hidden");
        if (mode == RecurrentMode.Lstm)
        {
            RecurrentTestSupport.AssertClose(expectedCell!, result.FinalCell!, Tolerance, $"{what}: final cell");
        }
        else
        {
            Assert.IsNull(result.FinalCell, $"{what}: only LSTM has a cell state");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void PackedMatchesReference(RecurrentMode mode, int layers, bool bidirectional)
    {
        int[] lengths = [5, 3, 1];
        var c = new RecurrentCase(mode, batch: 3, steps: 5, features: 3, hidden: 3, layers, bidirectional, seed: 400);
        // The padding holds non-zero garbage on purpose: it must not reach any output or final state.
        var (expected, expectedHidden, expectedCell) = c.Reference(lengths);

        using var scope = torch.NewDisposeScope();
        Tensor padded = RecurrentTestSupport.Doubles(c.Input, c.InputShape);
        Tensor lengthTensor = torch.tensor(lengths.Select(l => (long)l).ToArray());
        var packed = nn.utils.rnn.pack_padded_sequence(padded, lengthTensor, batch_first: true, enforce_sorted: false);
        CollectionAssert.AreEqual(new long[] { 3, 2, 2, 1, 1 }, TensorValues.ToArray<long>(packed.batch_sizes), "batch sizes");

        using RecurrentBase layer = RecurrentTestSupport.Create(mode,
            RecurrentTestSupport.Options(mode, 3, 3, layers, bidirectional, RecurrentKernel.Fused, VariableLengthStrategy.Packed));
        RecurrentTestSupport.Load(layer, c);
        RecurrentOutput result = layer.Forward(padded, lengthTensor, RecurrentTestSupport.Doubles(c.InitialHidden, c.StateShape),
            c.InitialCell is null ? null : RecurrentTestSupport.Doubles(c.InitialCell, c.StateShape));

        string what = $"{c} packed lengths [{string.Join(", ", lengths)}]";
        CollectionAssert.AreEqual(new long[] { 3, 5, c.Directions * 3 }, result.Output.shape, what);
        RecurrentTestSupport.AssertClose(expected, result.Output, Tolerance, $"{what}: output");
        RecurrentTestSupport.AssertClose(expectedHidden, result.FinalHidden, Tolerance, $"{what}: final hidden");
        if (mode == RecurrentMode.Lstm)
        {
            RecurrentTestSupport.AssertClose(expectedCell!, result.FinalCell!, Tolerance, $"{what}: final cell");
        }
    }

    [TestMethod]
    public void ReferenceIsNotTrivial()
    {
        // Guards the comparison above: different weights give different outputs, so a match means something.
        var a = new RecurrentCase(RecurrentMode.Gru, 2, 3, 3, 3, 1, false, seed: 1).Reference([3, 3]).Output;
        var b = new RecurrentCase(RecurrentMode.Gru, 2, 3, 3, 3, 1, false, seed: 2).Reference([3, 3]).Output;
        Assert.IsGreaterThan(0.01, a.Zip(b, (x, y) => Math.Abs(x - y)).Max());
        Assert.IsGreaterThan(0.01, a.Select(Math.Abs).Max());
    }
}
