using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// A padded batch with lengths gives what each sequence gives alone: LSTM, GRU and Elman RNN, 2 layers,
/// bidirectional, unsorted lengths that include 1 and the batch maximum, padding filled with garbage and one step more
/// than the longest row; every path (fused packed, fused masked, per step); float32 at 1e-5 and float64 at 1e-12.
/// </summary>
[TestClass]
public sealed class VariableLengthTests
{
    private static readonly long[] Lengths = [3, 1, 6, 4, 6];

    public static IEnumerable<object[]> Configurations()
    {
        foreach (RecurrentMode mode in new[] { RecurrentMode.Lstm, RecurrentMode.Gru, RecurrentMode.RnnTanh })
        {
            foreach ((RecurrentKernel kernel, VariableLengthStrategy lengths) in new[]
            {
                (RecurrentKernel.Auto, VariableLengthStrategy.Auto),
                (RecurrentKernel.Fused, VariableLengthStrategy.Masked),
                (RecurrentKernel.PerStep, VariableLengthStrategy.Auto),
            })
            {
                yield return [mode, kernel, lengths, ScalarType.Float32];
                yield return [mode, kernel, lengths, ScalarType.Float64];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void PaddedBatchEqualsEachSequenceAlone(RecurrentMode mode, RecurrentKernel kernel, VariableLengthStrategy strategy, ScalarType dtype)
    {
        double tolerance = dtype == ScalarType.Float32 ? 1e-5 : 1e-12;
        string what = $"{mode} {kernel}/{strategy} {dtype}";
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(41);
        using RecurrentBase layer = RecurrentTestSupport.Create(mode,
            RecurrentTestSupport.Options(mode, input: 3, hidden: 4, layers: 2, bidirectional: true, kernel, strategy), generator);
        layer.to(dtype);
        const long steps = 7;
        Tensor input = torch.randn(new long[] { Lengths.Length, steps, 3 }, dtype, generator: generator) * 3;

        RecurrentOutput batched = layer.Forward(input, torch.tensor(Lengths));
        CollectionAssert.AreEqual(new long[] { 5, steps, 8 }, batched.Output.shape, $"{what}: output shape");
        CollectionAssert.AreEqual(new long[] { 4, 5, 4 }, batched.FinalHidden.shape, $"{what}: final shape");
        Assert.AreEqual(mode == RecurrentMode.Lstm, batched.FinalCell is not null, $"{what}: cell state only for LSTM");
        for (int row = 0; row < Lengths.Length; row++)
        {
            long length = Lengths[row];
            RecurrentOutput alone = layer.Forward(input.narrow(0, row, 1).narrow(1, 0, length));
            Tensor rowOutput = batched.Output.narrow(0, row, 1);
            RecurrentTestSupport.AssertClose(alone.Output, rowOutput.narrow(1, 0, length), tolerance, $"{what}: row {row} outputs");
            double[] padding = RecurrentTestSupport.Values(rowOutput.narrow(1, length, steps - length));
            Assert.IsTrue(padding.All(v => v == 0), $"{what}: row {row} has non-zero outputs past its length");
            RecurrentTestSupport.AssertClose(alone.FinalHidden, batched.FinalHidden.narrow(1, row, 1), tolerance, $"{what}: row {row} final hidden");
            // Index 3 = layer 1, backward direction: the state after reading the row from its true end back to step 0.
            RecurrentTestSupport.AssertClose(alone.FinalHidden.select(0, 3), batched.FinalHidden.select(0, 3).narrow(0, row, 1),
                tolerance, $"{what}: row {row} top backward final hidden");
            if (mode == RecurrentMode.Lstm)
            {
                RecurrentTestSupport.AssertClose(alone.FinalCell!, batched.FinalCell!.narrow(1, row, 1), tolerance, $"{what}: row {row} final cell");
            }
        }
    }

    [TestMethod]
    [DataRow(RecurrentKernel.Auto, VariableLengthStrategy.Packed)]
    [DataRow(RecurrentKernel.Fused, VariableLengthStrategy.Masked)]
    [DataRow(RecurrentKernel.PerStep, VariableLengthStrategy.Masked)]
    public void EmptyOrTooLongRowsAreRejectedByRow(RecurrentKernel kernel, VariableLengthStrategy strategy)
    {
        using var scope = torch.NewDisposeScope();
        using RecurrentBase layer = RecurrentTestSupport.Create(RecurrentMode.Gru,
            RecurrentTestSupport.Options(RecurrentMode.Gru, 2, 3, 1, true, kernel, strategy));
        Tensor input = torch.zeros(3, 4, 2);
        var empty = Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(input, RecurrentTestSupport.Longs(4, 2, 0)));
        StringAssert.Contains(empty.Message, "lengths[2] = 0");
        StringAssert.Contains(empty.Message, "row 2");
        var tooLong = Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(input, RecurrentTestSupport.Longs(5, 2, 1)));
        StringAssert.Contains(tooLong.Message, "row 0");
        Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(input, RecurrentTestSupport.Longs(4, 2)));
        Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(input, torch.tensor(new[] { 4f, 2f, 1f })));
    }

    [TestMethod]
    public void SequenceBatchOverloadEqualsLengthsOverload()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(5);
        using var lstm = new Lstm(3, 4, bidirectional: true, generator: generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(2, 5, 1);
        SequenceBatch batch = SequenceBatch.FromLengths(input, lengths);
        CollectionAssert.AreEqual(new[] { true, true, false, false, false, true, true, true, true, true, true, false, false, false, false },
            TensorValues.ToArray<bool>(batch.Mask));
        RecurrentTestSupport.AssertClose(lstm.Forward(input, lengths).Output, lstm.Forward(batch).Output, 0, "outputs");
    }

    [TestMethod]
    public void EqualLengthsTakeThePaddedPathWithTheSameResult()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(6);
        using var gru = new Gru(3, 4, layers: 2, bidirectional: true, generator: generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        RecurrentOutput withLengths = gru.Forward(input, RecurrentTestSupport.Longs(5, 5, 5));
        RecurrentOutput without = gru.Forward(input);
        RecurrentTestSupport.AssertClose(without.Output, withLengths.Output, 0, "outputs");
        RecurrentTestSupport.AssertClose(without.FinalHidden, withLengths.FinalHidden, 0, "final hidden");
    }
}
