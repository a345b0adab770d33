using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Attention;
using Microsoft.ML.Sequence.Tests.Torch;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class AttentionTests
{
    private const int Batch = 2, KeySteps = 4, QueryFeatures = 3, KeyFeatures = 3, ValueFeatures = 2;

    public static IEnumerable<object[]> Kinds => [["additive"], ["dot"], ["general"], ["scaled"]];

    [TestMethod]
    public void ScaledDotProductMatchesHandComputation()
    {
        using var scope = TensorScope.Begin();
        // One query [1, 0] over keys [1, 0] and [0, 1]: scores 1/√2 and 0.
        Tensor q = Tensor.From<double>([1, 0], [1, 1, 2]);
        Tensor k = Tensor.From<double>([1, 0, 0, 1], [1, 2, 2]);
        Tensor v = Tensor.From<double>([10, 20], [1, 2, 1]);
        AttentionResult result = ScaledDotProductAttention.Compute(q, k, v);
        double e = Math.Exp(1 / Math.Sqrt(2));
        double[] weights = result.Weights.ToArray<double>();
        Assert.AreEqual(e / (e + 1), weights[0], 1e-12);
        Assert.AreEqual(1 / (e + 1), weights[1], 1e-12);
        Assert.AreEqual(10 * e / (e + 1) + 20 / (e + 1), result.Context.Item<double>(), 1e-12);
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void WeightsSumToOneAndIgnoreMaskedKeys(string kind)
    {
        using var scope = TensorScope.Begin();
        using Module? layer = Create(kind);
        Tensor query = Tensor.Randn([Batch, QueryFeatures], new RandomGenerator(1), DType.Float64);
        Tensor keys = Tensor.Randn([Batch, KeySteps, KeyFeatures], new RandomGenerator(2), DType.Float64);
        Tensor values = Tensor.Randn([Batch, KeySteps, ValueFeatures], new RandomGenerator(3), DType.Float64);
        Tensor mask = Tensor.From<bool>([true, true, false, false, true, true, true, false], [Batch, KeySteps]);
        AttentionResult result = Attend(kind, layer, query, keys, values, mask);
        CollectionAssert.AreEqual(new long[] { Batch, KeySteps }, result.Weights.Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { Batch, ValueFeatures }, result.Context.Shape.ToArray());
        double[] w = result.Weights.ToArray<double>();
        bool[] m = mask.ToArray<bool>();
        for (int b = 0; b < Batch; b++)
        {
            Assert.AreEqual(1.0, w.Skip(b * KeySteps).Take(KeySteps).Sum(), 1e-12, $"row {b}");
            for (int t = 0; t < KeySteps; t++)
            {
                if (!m[b * KeySteps + t])
                {
                    Assert.AreEqual(0.0, w[b * KeySteps + t], $"row {b} key {t} is masked");
                }
            }
        }

        // Masked keys do not influence the result: scrambling them changes nothing.
        Tensor scrambled = Tensor.Where(mask.Unsqueeze(-1), values, values * 100 + 7);
        double[] again = Attend(kind, layer, query, keys, scrambled, mask).Context.ToArray<double>();
        CollectionAssert.AreEqual(result.Context.ToArray<double>(), again);
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferences(string kind)
    {
        using Module? layer = Create(kind);
        using var maskScope = TensorScope.Begin();
        Tensor mask = Tensor.From<bool>([true, true, true, false, true, true, true, true], [Batch, KeySteps]);
        GradientChecker.Check($"{kind} attention",
            x => Attend(kind, layer, x[0], x[1], x[2], mask).Context,
            GradientInput.Of(RandomValues.Uniform(11, [Batch, 2, QueryFeatures]), Batch, 2, QueryFeatures),
            GradientInput.Of(RandomValues.Uniform(12, [Batch, KeySteps, KeyFeatures]), Batch, KeySteps, KeyFeatures),
            GradientInput.Of(RandomValues.Uniform(13, [Batch, KeySteps, ValueFeatures]), Batch, KeySteps, ValueFeatures));
    }

    [TestMethod]
    public void MultiHeadGradientsMatchFiniteDifferences()
    {
        using var layer = new MultiHeadSelfAttention(4, 2, new RandomGenerator(4));
        layer.To(DType.Float64);
        using var maskScope = TensorScope.Begin();
        Tensor mask = Tensor.From<bool>([true, true, true, true, true, false], [2, 3]);
        GradientChecker.Check("multi-head self-attention",
            x => layer.Forward(x[0], mask, causal: true).Context,
            GradientInput.Of(RandomValues.Uniform(21, [2, 3, 4]), 2, 3, 4));
    }

    [TestMethod]
    public void MultiHeadRowEqualsItselfAloneAndRespectsCausality()
    {
        using var scope = TensorScope.Begin();
        using var layer = new MultiHeadSelfAttention(8, 2, new RandomGenerator(8));
        layer.To(DType.Float64);
        Tensor input = Tensor.Randn([2, 5, 8], new RandomGenerator(9), DType.Float64);
        Tensor mask = Tensor.From<bool>([true, true, true, false, false, true, true, true, true, true], [2, 5]);
        AttentionResult batched = layer.Forward(input, mask, causal: true);
        Tensor alone = layer.Forward(input.Narrow(0, 0, 1).Narrow(1, 0, 3), null, causal: true).Context;
        double[] expected = alone.ToArray<double>();
        double[] actual = batched.Context.Narrow(0, 0, 1).Narrow(1, 0, 3).Contiguous().ToArray<double>();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-12, $"element {i}");
        }

        double[] weights = batched.Weights.ToArray<double>(); // [2, heads, 5, 5]
        for (int i = 0; i < weights.Length; i++)
        {
            int key = i % 5, query = i / 5 % 5;
            if (key > query)
            {
                Assert.AreEqual(0.0, weights[i], $"weight {i}: query {query} must not see later key {key}");
            }
        }
    }

    private static Module? Create(string kind)
    {
        Module? layer = kind switch
        {
            "additive" => new AdditiveAttention(QueryFeatures, KeyFeatures, 5, new RandomGenerator(1)),
            "dot" => new LuongAttention(LuongScore.Dot, QueryFeatures, KeyFeatures),
            "general" => new LuongAttention(LuongScore.General, QueryFeatures, KeyFeatures, new RandomGenerator(2)),
            "scaled" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        layer?.To(DType.Float64);
        return layer;
    }

    private static AttentionResult Attend(string kind, Module? layer, Tensor query, Tensor keys, Tensor values, Tensor mask) =>
        layer switch
        {
            AdditiveAttention additive => additive.Forward(query, keys, values, mask),
            LuongAttention luong => luong.Forward(query, keys, values, mask),
            _ => Scaled(query, keys, values, mask),
        };

    private static AttentionResult Scaled(Tensor query, Tensor keys, Tensor values, Tensor mask)
    {
        using var scope = TensorScope.Begin();
        bool single = query.Rank == 2;
        Tensor q = single ? query.Unsqueeze(1) : query;
        AttentionResult r = ScaledDotProductAttention.Compute(q, keys, values, mask.Unsqueeze(1));
        return single
            ? new AttentionResult(scope.MoveToOuter(r.Context.Squeeze(1)), scope.MoveToOuter(r.Weights.Squeeze(1)))
            : new AttentionResult(scope.MoveToOuter(r.Context), scope.MoveToOuter(r.Weights));
    }
}
