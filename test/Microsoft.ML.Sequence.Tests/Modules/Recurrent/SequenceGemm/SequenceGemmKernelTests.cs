using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent.SequenceGemm;

/// <summary><see cref="SequenceGemmKernel"/> against TorchSharp's own <c>nn.LSTM</c> / <c>nn.GRU</c> on the same
/// weights and data (packed with <c>pack_padded_sequence</c>, <c>enforce_sorted: false</c>): outputs and final states
/// to 1e-10, the gradients of the input, every weight and bias, h0 and c0 to 1e-8, in float64.</summary>
[TestClass]
public sealed class SequenceGemmKernelTests
{
    private const double ValueTolerance = 1e-10;
    private const double GradientTolerance = 1e-8;

    private static readonly long[] Mixed = [3, 5, 1, 5, 2];
    private static readonly long[] Padded = [5, 5, 5];

    public static IEnumerable<object[]> Cases()
    {
        foreach (RecurrentMode mode in new[] { RecurrentMode.Lstm, RecurrentMode.Gru })
        {
            foreach (int layers in new[] { 1, 2 })
            {
                foreach (bool bidirectional in new[] { false, true })
                {
                    yield return [mode, layers, bidirectional, true];
                    yield return [mode, layers, bidirectional, false];
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MatchesTorchSharpValuesAndGradients(RecurrentMode mode, int layers, bool bidirectional, bool mixedLengths) =>
        AssertSame(new SequenceGemmCase(mode, mixedLengths ? Mixed : Padded, steps: 5, features: 3, hidden: 4, layers,
            bidirectional, seed: 11 + layers));

    // Ported from SequenceGemmLstmTests.MatchesLibTorchValuesAndGradients (the shim's kernel against at::lstm): the
    // same six configurations (layers, direction, biases, packed or padded), now against TorchSharp's nn.LSTM.
    public static IEnumerable<object[]> PortedLstmCases =>
    [
        [1, false, true, false], [1, true, true, false], [2, true, true, false],
        [2, true, false, false], [1, false, true, true], [2, true, true, true],
    ];

    [TestMethod]
    [DynamicData(nameof(PortedLstmCases))]
    public void LstmMatchesTorchSharpWithAndWithoutBiases(int layers, bool bidirectional, bool withBiases, bool packed) =>
        AssertSame(new SequenceGemmCase(RecurrentMode.Lstm, packed ? [4, 3, 1] : [4, 4, 4], steps: 4, features: 3, hidden: 2,
            layers, bidirectional, biases: withBiases, seed: 7));

    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    public void ZeroInitialStateAndNoBiasesMatch(RecurrentMode mode) =>
        AssertSame(new SequenceGemmCase(mode, [2, 6, 6, 1, 4, 3], steps: 6, features: 4, hidden: 3, layers: 2, bidirectional: true,
            biases: false, initialState: false, seed: 5));

    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    public void RowsShorterThanThePaddedWidthMatch(RecurrentMode mode) =>
        // The longest row (4) is shorter than T (6): the output is zero past it, as pad_packed_sequence(total_length: T).
        AssertSame(new SequenceGemmCase(mode, [1, 4, 2, 4], steps: 6, features: 2, hidden: 3, layers: 1, bidirectional: true, seed: 9));

    [TestMethod]
    [DataRow(RecurrentMode.Lstm, false)]
    [DataRow(RecurrentMode.Lstm, true)]
    [DataRow(RecurrentMode.Gru, false)]
    [DataRow(RecurrentMode.Gru, true)]
    public void GradientsMatchFiniteDifferences(RecurrentMode mode, bool reverse)
    {
        // Tiny case, every leaf element perturbed: central differences (step 1e-6) against the analytic gradient.
        using var scope = torch.NewDisposeScope();
        long[] lengths = [2, 3];
        var generator = new Generator(3);
        int gates = mode == RecurrentMode.Lstm ? 4 : 3;
        const int hidden = 2, features = 2, steps = 3;
        Tensor[] leaves =
        [
            torch.empty(2, steps, features, dtype: ScalarType.Float64).uniform_(-1, 1, generator),
            torch.empty(gates * hidden, features, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
            torch.empty(gates * hidden, hidden, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
            torch.empty(gates * hidden, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
            torch.empty(gates * hidden, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
            torch.empty(2, hidden, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
            torch.empty(2, hidden, dtype: ScalarType.Float64).uniform_(-0.7, 0.7, generator),
        ];
        if (mode != RecurrentMode.Lstm)
        {
            leaves = leaves[..^1];
        }

        Tensor[] weights = [.. new[] { 0, 1, 2 }.Select(i => torch.empty(i == 0 ? [2, steps, hidden] : [2, hidden],
            dtype: ScalarType.Float64).uniform_(-1, 1, generator))];
        Tensor Loss(Tensor[] l)
        {
            SequenceGemmResult r = SequenceGemmKernel.Run(mode, l[0], lengths, l[1], l[2], l[3], l[4], l[5],
                mode == RecurrentMode.Lstm ? l[6] : null, reverse);
            Tensor loss = (r.Output * weights[0]).sum() + (r.Hidden * weights[1]).sum();
            if (r.Cell is not null)
            {
                loss = loss + (r.Cell * weights[2]).sum();
            }

            return loss;
        }

        RecurrentTestSupport.AssertGradientsMatchCentralDifferences(leaves, Loss, 1e-7);
    }

    [TestMethod]
    public void UnusedOutputsAndScopesAreHandled()
    {
        // Only h_n feeds the loss (autograd gives the kernel's one [N, 2H] output a gradient that is zero outside the
        // final rows' hidden half); forward and backward run inside dispose scopes that free every temporary.
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.ones(2, 3, 2, dtype: ScalarType.Float64).requires_grad_();
        Tensor w = torch.full(8, 2, 0.1, dtype: ScalarType.Float64).requires_grad_();
        Tensor u = torch.full(8, 2, -0.2, dtype: ScalarType.Float64).requires_grad_();
        Tensor hN;
        using (var inner = torch.NewDisposeScope())
        {
            hN = SequenceGemmKernel.Run(RecurrentMode.Lstm, x, [2, 3], w, u, null, null, null, null, reverse: false).Hidden
                .MoveToOuterDisposeScope();
        }

        hN.sum().backward();
        Assert.IsNotNull(x.grad);
        Assert.IsNotNull(w.grad);
        Assert.IsTrue(SequenceGemmCase.ToArray(x.grad!).All(double.IsFinite));
    }

    [TestMethod]
    [DataRow(RecurrentMode.Lstm, false)]
    [DataRow(RecurrentMode.Lstm, true)]
    [DataRow(RecurrentMode.Gru, false)]
    [DataRow(RecurrentMode.Gru, true)]
    public void ForwardAndBackwardLeaveNoLiveTensorBehind(RecurrentMode mode, bool useFinalStates)
    {
        // TorchSharp wraps an undefined output gradient in a managed tensor with a null handle, counted as created and
        // never as disposed: an output whose gradient never arrives (h_n, c_n unused) leaked one per call. Per-thread
        // counts, so tests on other threads do not interfere.
        var generator = new Generator(6);
        int gates = mode == RecurrentMode.Lstm ? 4 : 3;
        using Tensor x = torch.empty(3, 4, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        using Tensor w = torch.empty(gates * 3, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        using Tensor u = torch.empty(gates * 3, 3, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int run = 0; run < 3; run++)
        {
            using var scope = torch.NewDisposeScope();
            foreach (bool reverse in new[] { false, true })
            {
                SequenceGemmResult r = SequenceGemmKernel.Run(mode, x, [4, 1, 3], w, u, null, null, null, null, reverse);
                Tensor loss = r.Output.sum();
                if (useFinalStates)
                {
                    loss = r.Cell is null ? loss + r.Hidden.sum() : loss + r.Hidden.sum() + r.Cell.sum();
                }

                loss.backward();
            }
        }

        // The leaves' gradients live in the native leaves, without a managed wrapper.
        Assert.AreEqual(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [TestMethod]
    [DataRow(RecurrentMode.Lstm, false)]
    [DataRow(RecurrentMode.Lstm, true)]
    [DataRow(RecurrentMode.Gru, false)]
    [DataRow(RecurrentMode.Gru, true)]
    public void FreshMemoryFullOfNaNChangesNoBit(RecurrentMode mode, bool reverse)
    {
        // Every buffer the kernel reads must be written first: before the second run, blocks of the sizes of its
        // [N, G·H], [N, 2H], [N, H] and [B, H] buffers are filled with NaN and freed, so an allocation that reused one
        // and read a row it never wrote (past a step's active rows, padding) would give NaN or other bits.
        const int hidden = 5, features = 3, steps = 7;
        long[] lengths = [7, 2, 5, 1, 7, 3];
        int gates = mode == RecurrentMode.Lstm ? 4 : 3;
        long total = lengths.Sum(), batch = lengths.Length;
        double[][] Once(bool poison)
        {
            using var scope = torch.NewDisposeScope();
            var generator = new Generator(8);
            Tensor[] leaves =
            [
                torch.empty(batch, steps, features, dtype: ScalarType.Float64).uniform_(-1, 1, generator),
                torch.empty(gates * hidden, features, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
                torch.empty(gates * hidden, hidden, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
                torch.empty(gates * hidden, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
                torch.empty(gates * hidden, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
                torch.empty(batch, hidden, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
                torch.empty(batch, hidden, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator),
            ];
            foreach (Tensor leaf in leaves)
            {
                leaf.requires_grad_();
            }

            if (poison)
            {
                foreach (long rows in new[] { total, total + 1, batch, batch * steps })
                {
                    foreach (long width in new[] { hidden, 2 * hidden, gates * hidden, 2 * gates * hidden })
                    {
                        for (int copy = 0; copy < 4; copy++)
                        {
                            torch.full(rows, width, double.NaN, dtype: ScalarType.Float64).Dispose();
                        }
                    }
                }
            }

            SequenceGemmResult r = SequenceGemmKernel.Run(mode, leaves[0], lengths, leaves[1], leaves[2], leaves[3], leaves[4],
                leaves[5], mode == RecurrentMode.Lstm ? leaves[6] : null, reverse);
            Tensor loss = r.Output.square().sum() + r.Hidden.sum();
            (r.Cell is null ? loss : loss + (r.Cell * 0.5).sum()).backward();
            double[][] all = [SequenceGemmCase.ToArray(r.Output), SequenceGemmCase.ToArray(r.Hidden),
                .. leaves.Where(l => l.grad is not null).Select(l => SequenceGemmCase.ToArray(l.grad!))];
            return all;
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
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    public void InferenceWithoutAGraphGivesTheSameValues(RecurrentMode mode)
    {
        // Under no_grad the forward pass keeps nothing for backward; the values must not change.
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(4);
        int gates = mode == RecurrentMode.Lstm ? 4 : 3;
        Tensor x = torch.empty(3, 4, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator);
        Tensor w = torch.empty(gates * 3, 2, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        Tensor u = torch.empty(gates * 3, 3, dtype: ScalarType.Float64).uniform_(-1, 1, generator).requires_grad_();
        long[] lengths = [4, 1, 3];
        SequenceGemmResult training = SequenceGemmKernel.Run(mode, x, lengths, w, u, null, null, null, null, reverse: true);
        SequenceGemmResult inference;
        using (torch.no_grad())
        {
            inference = SequenceGemmKernel.Run(mode, x, lengths, w, u, null, null, null, null, reverse: true);
        }

        Assert.IsTrue(training.Output.requires_grad);
        Assert.IsFalse(inference.Output.requires_grad);
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(training.Output), SequenceGemmCase.ToArray(inference.Output));
        CollectionAssert.AreEqual(SequenceGemmCase.ToArray(training.Hidden), SequenceGemmCase.ToArray(inference.Hidden));
    }

    [TestMethod]
    public void ElmanModesAndBadArgumentsAreRejected()
    {
        // Ported from SequenceGemmLstmTests.OnlyLstmWithoutKernelDropoutIsAccepted: GRU is now supported, Elman RNNs
        // are not, and the message names the mode.
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.zeros(2, 3, 2, dtype: ScalarType.Float64);
        Tensor w = torch.zeros(2, 2, dtype: ScalarType.Float64), u = torch.zeros(2, 2, dtype: ScalarType.Float64);
        var rnn = Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.RnnTanh, x, [3, 3], w, u, null, null, null, null, false));
        StringAssert.Contains(rnn.Message, "RnnTanh");
        Tensor w3 = torch.zeros(6, 2, dtype: ScalarType.Float64);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.Gru, x, [3, 4], w3, w3, null, null, null, null, false));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.Gru, x, [0, 3], w3, w3, null, null, null, null, false));
        Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.Gru, x, [3], w3, w3, null, null, null, null, false));
        Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.Gru, x, [3, 3], w3, w3, null, null, null, torch.zeros(2, 2, dtype: ScalarType.Float64), false));
        var shape = Assert.ThrowsExactly<ArgumentException>(() =>
            SequenceGemmKernel.Run(RecurrentMode.Lstm, x, [3, 3], w3, w3, null, null, null, null, false));
        StringAssert.Contains(shape.Message, "weightIh");
    }

    private static void AssertSame(SequenceGemmCase c)
    {
        (double[][] theirs, double[][] theirGradients) = c.RunTorchSharp();
        (double[][] ours, double[][] ourGradients) = c.RunSequenceGemm();
        string[] values = ["output", "h_n", "c_n"];
        for (int i = 0; i < ours.Length; i++)
        {
            AssertClose(theirs[i], ours[i], ValueTolerance, $"{c}: {values[i]}");
        }

        string[] leaves = ["input", .. c.ParameterNames(), "h0", "c0"];
        Assert.HasCount(theirGradients.Length, ourGradients);
        for (int i = 0; i < ourGradients.Length; i++)
        {
            AssertClose(theirGradients[i], ourGradients[i], GradientTolerance, $"{c}: gradient of {leaves[i]}");
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}, element {i}");
        }
    }
}
