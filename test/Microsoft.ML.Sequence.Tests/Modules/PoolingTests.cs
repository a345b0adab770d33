using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class PoolingTests
{
    private const int Batch = 4, Steps = 6, Features = 6;
    private static readonly long[] Lengths = [1, 6, 3, 5]; // unsorted, includes 1 and the maximum

    public static IEnumerable<object[]> Kinds =>
    [
        ["last"], ["last-bidirectional"], ["max"], ["mean"], ["attention"],
    ];

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void PaddedBatchEqualsEachSequenceAlone(string kind)
    {
        using var scope = torch.NewDisposeScope();
        using var attention = new AttentionPooling(Features, 5, new Generator(3));
        attention.to(ScalarType.Float64);
        // Padding holds large garbage: any leak of it into a result shows.
        double[] data = RandomValues.Uniform(1, [Batch, Steps, Features]);
        for (int b = 0; b < Batch; b++)
        {
            for (long t = Lengths[b]; t < Steps; t++)
            {
                for (int f = 0; f < Features; f++)
                {
                    data[(b * Steps + t) * Features + f] = 1000 + t;
                }
            }
        }

        Tensor states = torch.tensor(data, [Batch, Steps, Features]);
        Tensor batched = Pool(kind, states, torch.tensor(Lengths), attention);
        double[] all = BlockTensors.Doubles(batched);
        for (int b = 0; b < Batch; b++)
        {
            Tensor alone = states.narrow(0, b, 1).narrow(1, 0, Lengths[b]);
            double[] expected = BlockTensors.Doubles(Pool(kind, alone, torch.tensor(new[] { Lengths[b] }), attention));
            for (int f = 0; f < Features; f++)
            {
                Assert.AreEqual(expected[f], all[b * Features + f], 1e-12, $"{kind}: row {b}, feature {f}");
            }
        }
    }

    [TestMethod]
    public void LastOfBidirectionalTakesBackwardHalfAtStepZero()
    {
        using var scope = torch.NewDisposeScope();
        // Row 0 has length 2 of 3 steps; forward half = features 0..1, backward half = features 2..3.
        Tensor states = torch.tensor(Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), [1, 3, 4]);
        double[] pooled = BlockTensors.Doubles(SequencePooling.Last(states, torch.tensor(new long[] { 2 }), bidirectional: true));
        CollectionAssert.AreEqual(new double[] { 4, 5, 2, 3 }, pooled);
    }

    [TestMethod]
    public void AttentionWeightsAreZeroOnPaddingAndSumToOne()
    {
        using var scope = torch.NewDisposeScope();
        using var attention = new AttentionPooling(Features, generator: new Generator(5));
        Tensor states = torch.randn([Batch, Steps, Features], generator: new Generator(6));
        double[] weights = BlockTensors.Doubles(attention.Forward(states, torch.tensor(Lengths)).Weights);
        for (int b = 0; b < Batch; b++)
        {
            double sum = 0;
            for (int t = 0; t < Steps; t++)
            {
                double w = weights[b * Steps + t];
                if (t >= Lengths[b])
                {
                    Assert.AreEqual(0.0, w, $"row {b} step {t} is padding");
                }

                sum += w;
            }

            Assert.AreEqual(1.0, sum, 1e-6, $"row {b}");
        }

        CollectionAssert.AreEquivalent(new[] { "projection.weight", "projection.bias", "query" }, attention.state_dict().Keys.ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferences(string kind)
    {
        using var attention = new AttentionPooling(4, 3, new Generator(7));
        attention.to(ScalarType.Float64);
        // Distinct values keep max pooling away from ties.
        double[] data = RandomValues.Distinct(2, [2, 3, 4]);
        using var lengthScope = torch.NewDisposeScope();
        Tensor lengths = torch.tensor(new long[] { 3, 2 });
        GradientChecker.Check($"pooling {kind}",
            x => Pool(kind, x[0], lengths, attention),
            GradientInput.Of(data, 2, 3, 4));
    }

    [TestMethod]
    public void MaskAndLengthChecksNameTheProblem()
    {
        using var scope = torch.NewDisposeScope();
        bool[] mask = TensorValues.ToArray<bool>(SequenceMask.FromLengths(torch.tensor(new long[] { 2, 0, 3 }), 3));
        CollectionAssert.AreEqual(new[] { true, true, false, false, false, false, true, true, true }, mask);
        var e = Assert.ThrowsExactly<ArgumentException>(() => SequenceMask.Validate(torch.tensor(new long[] { 2, 4 }), 2, 3));
        StringAssert.Contains(e.Message, "Row 1 has length 4");
        e = Assert.ThrowsExactly<ArgumentException>(() => SequenceMask.Validate(torch.tensor(new[] { 2, 3 }), 2, 3));
        StringAssert.Contains(e.Message, "int64");
        Tensor states = torch.zeros(2, 3, 4);
        e = Assert.ThrowsExactly<ArgumentException>(() => SequencePooling.Mean(states, torch.tensor(new long[] { 1 })));
        StringAssert.Contains(e.Message, "one entry per row (2)");
    }

    private static Tensor Pool(string kind, Tensor states, Tensor lengths, AttentionPooling attention) => kind switch
    {
        "last" => SequencePooling.Last(states, lengths),
        "last-bidirectional" => SequencePooling.Last(states, lengths, bidirectional: true),
        "max" => SequencePooling.Max(states, lengths),
        "mean" => SequencePooling.Mean(states, lengths),
        "attention" => attention.Forward(states, lengths).Context,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
