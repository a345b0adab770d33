using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>
/// <see cref="RecurrentKernels.Run"/> against <see cref="RecurrentReference"/>, a scalar C# implementation of the
/// equations, at 1e-10 in float64: padded (equal lengths, batch-first and time-major) and packed (uneven lengths).
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
        foreach (bool batchFirst in new[] { true, false })
        {
            using var scope = TensorScope.Begin();
            Tensor input = Tensor.From<double>(c.Input, c.InputShape);
            if (!batchFirst)
            {
                input = input.Transpose(0, 1).Contiguous();
            }

            RecurrentKernelOutput result = RecurrentKernels.Run(mode, input, c.WeightTensors(), layers, bidirectional,
                batchFirst, initialHidden: Tensor.From<double>(c.InitialHidden, c.StateShape),
                initialCell: c.InitialCell is null ? null : Tensor.From<double>(c.InitialCell, c.StateShape));
            Tensor output = batchFirst ? result.Output : result.Output.Transpose(0, 1);
            string what = $"{c} padded batchFirst={batchFirst}";
            CollectionAssert.AreEqual(new long[] { 2, 4, c.Directions * 3 }, output.Shape.ToArray(), what);
            AssertClose(expected, output.Contiguous().ToArray<double>(), $"{what}: output");
            AssertClose(expectedHidden, result.FinalHidden.ToArray<double>(), $"{what}: final hidden");
            if (mode == RecurrentMode.Lstm)
            {
                AssertClose(expectedCell!, result.FinalCell!.ToArray<double>(), $"{what}: final cell");
            }
            else
            {
                Assert.IsNull(result.FinalCell, $"{what}: only LSTM has a cell state");
            }
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

        using var scope = TensorScope.Begin();
        Tensor padded = Tensor.From<double>(c.Input, c.InputShape);
        PackedSequenceData packed = RecurrentKernels.PackPadded(padded, Tensor.From<long>(lengths.Select(l => (long)l).ToArray()));
        CollectionAssert.AreEqual(new long[] { 3, 2, 2, 1, 1 }, packed.BatchSizes.ToArray<long>(), "batch sizes");
        RecurrentKernelOutput result = RecurrentKernels.Run(mode, packed.Data, c.WeightTensors(), layers, bidirectional,
            batchSizes: packed.BatchSizes, initialHidden: Tensor.From<double>(c.InitialHidden, c.StateShape),
            initialCell: c.InitialCell is null ? null : Tensor.From<double>(c.InitialCell, c.StateShape));
        PaddedSequenceData unpacked = RecurrentKernels.PadPacked(result.Output, packed.BatchSizes);

        string what = $"{c} packed lengths [{string.Join(", ", lengths)}]";
        CollectionAssert.AreEqual(new long[] { 5, 3, 1 }, unpacked.Lengths.ToArray<long>(), $"{what}: lengths");
        CollectionAssert.AreEqual(new long[] { 3, 5, c.Directions * 3 }, unpacked.Padded.Shape.ToArray(), what);
        AssertClose(expected, unpacked.Padded.ToArray<double>(), $"{what}: output");
        AssertClose(expectedHidden, result.FinalHidden.ToArray<double>(), $"{what}: final hidden");
        if (mode == RecurrentMode.Lstm)
        {
            AssertClose(expectedCell!, result.FinalCell!.ToArray<double>(), $"{what}: final cell");
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

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, $"{what}: element count");
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= Tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, the reference gives {expected[i]:R}");
            }
        }
    }
}
