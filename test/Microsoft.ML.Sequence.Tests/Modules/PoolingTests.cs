using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Tests.Torch;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

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
        using var scope = TensorScope.Begin();
        using var attention = new AttentionPooling(Features, 5, new RandomGenerator(3));
        attention.To(DType.Float64);
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

        Tensor states = Tensor.From<double>(data, [Batch, Steps, Features]);
        Tensor batched = Pool(kind, states, Tensor.From(Lengths), attention);
        double[] all = batched.ToArray<double>();
        for (int b = 0; b < Batch; b++)
        {
            Tensor alone = states.Narrow(0, b, 1).Narrow(1, 0, Lengths[b]);
            double[] expected = Pool(kind, alone, Tensor.From(new[] { Lengths[b] }), attention).ToArray<double>();
            for (int f = 0; f < Features; f++)
            {
                Assert.AreEqual(expected[f], all[b * Features + f], 1e-12, $"{kind}: row {b}, feature {f}");
            }
        }
    }

    [TestMethod]
    public void LastOfBidirectionalTakesBackwardHalfAtStepZero()
    {
        using var scope = TensorScope.Begin();
        // Row 0 has length 2 of 3 steps; forward half = features 0..1, backward half = features 2..3.
        Tensor states = Tensor.From<double>(Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), [1, 3, 4]);
        double[] pooled = SequencePooling.Last(states, Tensor.From(new long[] { 2 }), bidirectional: true).ToArray<double>();
        CollectionAssert.AreEqual(new double[] { 4, 5, 2, 3 }, pooled);
    }

    [TestMethod]
    public void AttentionWeightsAreZeroOnPaddingAndSumToOne()
    {
        using var scope = TensorScope.Begin();
        using var attention = new AttentionPooling(Features, generator: new RandomGenerator(5));
        Tensor states = Tensor.Randn([Batch, Steps, Features], new RandomGenerator(6));
        double[] weights = attention.Forward(states, Tensor.From(Lengths)).Weights.To(DType.Float64).ToArray<double>();
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
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferences(string kind)
    {
        using var attention = new AttentionPooling(4, 3, new RandomGenerator(7));
        attention.To(DType.Float64);
        // Distinct values keep max pooling away from ties.
        double[] data = RandomValues.Distinct(2, [2, 3, 4]);
        GradientChecker.Check($"pooling {kind}",
            x => Pool(kind, x[0], Tensor.From(new long[] { 3, 2 }), attention),
            GradientInput.Of(data, 2, 3, 4));
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
