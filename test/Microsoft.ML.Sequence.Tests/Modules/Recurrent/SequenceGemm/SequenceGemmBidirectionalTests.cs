using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent.SequenceGemm;

/// <summary><see cref="SequenceGemmKernel.RunBidirectional"/> (both directions of an LSTM layer in one step loop, the
/// reverse one over rows reversed within their lengths) against TorchSharp's <c>nn.LSTM</c> (values 1e-10, gradients
/// 1e-8, float64) and finite differences, plus the index maps and the gather it relies on.</summary>
[TestClass]
public sealed class SequenceGemmBidirectionalTests
{
    public static IEnumerable<object[]> Cases =>
    [
        [new long[] { 3, 5, 1, 5, 2 }, 5, 1, true, true],
        [new long[] { 3, 5, 1, 5, 2 }, 5, 2, true, true],
        [new long[] { 5, 5, 5 }, 5, 2, true, true],
        [new long[] { 2, 6, 6, 1, 4, 3 }, 6, 2, false, false],
        [new long[] { 1, 4, 2, 4 }, 6, 1, true, false],
        [new long[] { 1 }, 3, 1, true, true],
        // One step and no initial state: dW_hh has no row to sum over.
        [new long[] { 1, 1 }, 2, 2, true, false],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MatchesTorchSharpValuesAndGradients(long[] lengths, int steps, int layers, bool biases, bool initialState)
    {
        var c = new SequenceGemmCase(RecurrentMode.Lstm, lengths, steps, features: 3, hidden: 4, layers, bidirectional: true,
            biases, initialState, seed: 17 + layers);
        (double[][] theirs, double[][] theirGradients) = c.RunTorchSharp();
        (double[][] ours, double[][] ourGradients) = c.RunSequenceGemm(bothDirections: true);
        Assert.HasCount(theirs.Length, ours);
        for (int i = 0; i < ours.Length; i++)
        {
            RecurrentTestSupport.AssertClose(theirs[i], ours[i], 1e-10, $"{c}: value {i}");
        }

        Assert.HasCount(theirGradients.Length, ourGradients);
        for (int i = 0; i < ourGradients.Length; i++)
        {
            RecurrentTestSupport.AssertClose(theirGradients[i], ourGradients[i], 1e-8, $"{c}: gradient {i}");
        }
    }

    [TestMethod]
    public void GradientsMatchFiniteDifferences()
    {
        using var scope = torch.NewDisposeScope();
        long[] lengths = [2, 3, 1];
        var generator = new Generator(13);
        const int hidden = 2, features = 2, steps = 3;
        Tensor U(params long[] shape) => torch.empty(shape, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator);
        Tensor[] leaves =
        [
            U(3, steps, features), U(8, features), U(8, hidden), U(8), U(8), U(8, features), U(8, hidden), U(8), U(8),
            U(2, 3, hidden), U(2, 3, hidden),
        ];
        Tensor[] weights = [U(3, steps, 2 * hidden), U(2, 3, hidden), U(2, 3, hidden)];
        Tensor Loss(Tensor[] l)
        {
            SequenceGemmResult r = SequenceGemmKernel.RunBidirectional(l[0], lengths, l[1..5], l[5..9], l[9], l[10]);
            return (r.Output * weights[0]).sum() + (r.Hidden * weights[1]).sum() + (r.Cell! * weights[2]).sum();
        }

        RecurrentTestSupport.AssertGradientsMatchCentralDifferences(leaves, Loss, 1e-7);
    }

    [TestMethod]
    public void InputWithoutGradientGivesTheSameWeightGradients()
    {
        // The input projection's dx is skipped when the input needs no gradient; every other gradient stays the same.
        double[][] Gradients(bool inputGradient)
        {
            using var scope = torch.NewDisposeScope();
            var generator = new Generator(2);
            Tensor x = torch.empty(4, 5, 3, dtype: ScalarType.Float64).uniform_(-1, 1, generator);
            Tensor[] w = [.. new long[][] { [8, 3], [8, 2], [8], [8], [8, 3], [8, 2], [8], [8] }
                .Select(s => torch.empty(s, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator).requires_grad_())];
            if (inputGradient)
            {
                x.requires_grad_();
            }

            SequenceGemmResult r = SequenceGemmKernel.RunBidirectional(x, [5, 2, 4, 1], w[..4], w[4..], null, null);
            (r.Output.square().sum() + r.Hidden.sum()).backward();
            Assert.AreEqual(inputGradient, x.grad is not null);
            return w.Select(t => SequenceGemmCase.ToArray(t.grad!)).ToArray();
        }

        double[][] with = Gradients(true), without = Gradients(false);
        for (int i = 0; i < with.Length; i++)
        {
            CollectionAssert.AreEqual(with[i], without[i], $"gradient {i}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ForwardAndBackwardLeaveNoLiveTensorBehind(bool useFinalStates)
    {
        var generator = new Generator(6);
        using Tensor x = torch.empty(3, 4, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        Tensor[] w = [.. new long[][] { [12, 2], [12, 3], [12, 2], [12, 3] }
            .Select(s => torch.empty(s, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_())];
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int run = 0; run < 3; run++)
        {
            using var scope = torch.NewDisposeScope();
            SequenceGemmResult r = SequenceGemmKernel.RunBidirectional(x, [4, 1, 3], w[..2], w[2..], null, null);
            Tensor loss = useFinalStates ? r.Output.sum() + r.Hidden.sum() + r.Cell!.sum() : r.Output.sum();
            loss.backward();
        }

        Assert.AreEqual(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (Tensor t in w)
        {
            t.Dispose();
        }
    }

    [TestMethod]
    public void FreshMemoryFullOfNaNChangesNoBit()
    {
        // As SequenceGemmKernelTests.FreshMemoryFullOfNaNChangesNoBit: every buffer the function reads is written first.
        const int hidden = 5, features = 3, steps = 7;
        long[] lengths = [7, 2, 5, 1, 7, 3];
        long total = lengths.Sum(), batch = lengths.Length;
        double[][] Once(bool poison)
        {
            using var scope = torch.NewDisposeScope();
            var generator = new Generator(8);
            Tensor U(params long[] shape) => torch.empty(shape, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator).requires_grad_();
            Tensor[] leaves =
            [
                U(batch, steps, features), U(20, features), U(20, hidden), U(20), U(20), U(20, features), U(20, hidden), U(20), U(20),
                U(2, batch, hidden), U(2, batch, hidden),
            ];
            if (poison)
            {
                foreach (long rows in new[] { total, total + 1, batch, batch * steps, 2 * total, 2 * batch })
                {
                    foreach (long width in new[] { hidden, 2 * hidden, 4 * hidden, 8 * hidden })
                    {
                        for (int copy = 0; copy < 4; copy++)
                        {
                            torch.full(rows, width, double.NaN, dtype: ScalarType.Float64).Dispose();
                        }
                    }
                }
            }

            SequenceGemmResult r = SequenceGemmKernel.RunBidirectional(leaves[0], lengths, leaves[1..5], leaves[5..9], leaves[9], leaves[10]);
            (r.Output.square().sum() + r.Hidden.sum() + (r.Cell! * 0.5).sum()).backward();
            return [SequenceGemmCase.ToArray(r.Output), SequenceGemmCase.ToArray(r.Hidden), SequenceGemmCase.ToArray(r.Cell!),
                .. leaves.Select(l => SequenceGemmCase.ToArray(l.grad!))];
        }

        double[][] clean = Once(poison: false);
        double[][] poisoned = Once(poison: true);
        Assert.HasCount(clean.Length, poisoned);
        for (int i = 0; i < clean.Length; i++)
        {
            Assert.IsTrue(poisoned[i].All(double.IsFinite), $"result {i} is finite");
            CollectionAssert.AreEqual(clean[i], poisoned[i], $"result {i}");
        }
    }

    [TestMethod]
    public void InferenceWithoutAGraphGivesTheSameValues()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(4);
        Tensor x = torch.empty(3, 4, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator);
        Tensor[] w = [.. new long[][] { [12, 2], [12, 3], [12, 2], [12, 3] }
            .Select(s => torch.empty(s, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_())];
        SequenceGemmResult training = SequenceGemmKernel.RunBidirectional(x, [4, 1, 3], w[..2], w[2..], null, null);
        SequenceGemmResult inference;
        using (torch.no_grad())
        {
            inference = SequenceGemmKernel.RunBidirectional(x, [4, 1, 3], w[..2], w[2..], null, null);
        }

        Assert.IsTrue(training.Output.requires_grad);
        Assert.IsFalse(inference.Output.requires_grad);
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(training.Output), SequenceGemmCase.ToArray(inference.Output));
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(training.Hidden), SequenceGemmCase.ToArray(inference.Hidden));
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(training.Cell!), SequenceGemmCase.ToArray(inference.Cell!));
    }

    [TestMethod]
    public void BadWeightsAreRejected()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.zeros(2, 3, 2, dtype: ScalarType.Float64);
        Tensor[] w = [torch.zeros(8, 2, dtype: ScalarType.Float64), torch.zeros(8, 2, dtype: ScalarType.Float64)];
        Tensor[] biased = [.. w, torch.zeros(8, dtype: ScalarType.Float64), torch.zeros(8, dtype: ScalarType.Float64)];
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.RunBidirectional(x, [3, 2], w, [w[0], torch.zeros(8, 3, dtype: ScalarType.Float64)], null, null)).Message, "weightHh");
        Assert.ThrowsExactly<ArgumentException>(() => SequenceGemmKernel.RunBidirectional(x, [3, 2], w, biased, null, null));
        Assert.ThrowsExactly<ArgumentException>(() => SequenceGemmKernel.RunBidirectional(x, [3, 2], w, w[..1], null, null));
        Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.RunBidirectional(x, [3, 2], w, w, torch.zeros(1, 2, 2, dtype: ScalarType.Float64), null));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SequenceGemmKernel.RunBidirectional(x, [4, 2], w, w, null, null));
    }

    [TestMethod]
    public void ReversedPositionsAreTheirOwnInverse()
    {
        var layout = SequenceGemmLayout.FromLengths([3, 5, 1, 5, 2]);
        long[] reversed = layout.ReversedPositions();
        long[] pack = layout.PackIndex(5);
        for (long p = 0; p < layout.Total; p++)
        {
            Assert.AreEqual(p, reversed[reversed[p]], $"position {p}");
            // Same row, step mirrored within the row's length.
            long row = pack[p] / 5, step = pack[p] % 5, mirrored = pack[reversed[p]] % 5;
            Assert.AreEqual(row, pack[reversed[p]] / 5);
            Assert.AreEqual(new long[] { 3, 5, 1, 5, 2 }[row] - 1 - step, mirrored);
        }
    }

    [TestMethod]
    public void GatherGradientEqualsIndexSelectGradient()
    {
        // Pack-like (some source rows dropped) and unpack-like (zero rows in the output) gathers, with an expanded
        // (non-contiguous) output gradient, as a sum sends back.
        using var scope = torch.NewDisposeScope();
        var layout = SequenceGemmLayout.FromLengths([2, 4, 1]);
        long[] pack = layout.PackIndex(4), unpack = layout.UnpackIndex(4);
        var generator = new Generator(3);
        Tensor padded = torch.empty(12, 3, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        Tensor packed = SequenceGemmGatherFunction.Gather(padded, pack, unpack, 0);
        Tensor unpacked = SequenceGemmGatherFunction.Gather(packed * 2, unpack, pack, 0);
        Tensor reference = torch.cat([padded.index_select(0, torch.tensor(pack)) * 2, torch.zeros(1, 3, dtype: ScalarType.Float64)], 0)
            .index_select(0, torch.tensor(unpack));
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(reference), SequenceGemmCase.ToArray(unpacked));
        unpacked.sum().backward();
        double[] ours = SequenceGemmCase.ToArray(padded.grad!);
        padded.grad!.zero_();
        reference.sum().backward();
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(padded.grad!), ours);
        Assert.IsTrue(ours.Contains(0.0) && ours.Contains(2.0));

        // Rows read more than once (the final states are also output rows): the gradients add up.
        padded.grad!.zero_();
        long[] repeated = [3, 0, 3, 11, 3];
        Tensor weights = torch.empty(5, 3, dtype: ScalarType.Float64).uniform_(-1, 1, generator);
        (SequenceGemmGatherFunction.GatherRows(padded, repeated) * weights).sum().backward();
        double[] gathered = SequenceGemmCase.ToArray(padded.grad!);
        padded.grad!.zero_();
        (padded.index_select(0, torch.tensor(repeated)) * weights).sum().backward();
        double[] expected = SequenceGemmCase.ToArray(padded.grad!);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], gathered[i], 1e-15, $"element {i}");
        }
    }
}
