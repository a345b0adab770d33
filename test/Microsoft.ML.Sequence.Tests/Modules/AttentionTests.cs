using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Attention;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class AttentionTests
{
    private const int Batch = 2, KeySteps = 4, QueryFeatures = 3, KeyFeatures = 3, ValueFeatures = 2;

    public static IEnumerable<object[]> Kinds => [["additive"], ["dot"], ["general"], ["scaled"]];

    [TestMethod]
    public void ScaledDotProductMatchesHandComputation()
    {
        using var scope = torch.NewDisposeScope();
        // One query [1, 0] over keys [1, 0] and [0, 1]: scores 1/√2 and 0.
        Tensor q = torch.tensor(new double[] { 1, 0 }, [1, 1, 2]);
        Tensor k = torch.tensor(new double[] { 1, 0, 0, 1 }, [1, 2, 2]);
        Tensor v = torch.tensor(new double[] { 10, 20 }, [1, 2, 1]);
        AttentionResult result = ScaledDotProductAttention.Compute(q, k, v);
        double e = Math.Exp(1 / Math.Sqrt(2));
        double[] weights = BlockTensors.Doubles(result.Weights);
        Assert.AreEqual(e / (e + 1), weights[0], 1e-12);
        Assert.AreEqual(1 / (e + 1), weights[1], 1e-12);
        Assert.AreEqual(10 * e / (e + 1) + 20 / (e + 1), result.Context.item<double>(), 1e-12);
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void WeightsSumToOneAndIgnoreMaskedKeys(string kind)
    {
        using var scope = torch.NewDisposeScope();
        using nn.Module? layer = Create(kind);
        Tensor query = torch.randn([Batch, QueryFeatures], ScalarType.Float64, generator: new Generator(1));
        Tensor keys = torch.randn([Batch, KeySteps, KeyFeatures], ScalarType.Float64, generator: new Generator(2));
        Tensor values = torch.randn([Batch, KeySteps, ValueFeatures], ScalarType.Float64, generator: new Generator(3));
        Tensor mask = torch.tensor(new[] { true, true, false, false, true, true, true, false }, [Batch, KeySteps]);
        AttentionResult result = Attend(layer, query, keys, values, mask);
        CollectionAssert.AreEqual(new long[] { Batch, KeySteps }, result.Weights.shape);
        CollectionAssert.AreEqual(new long[] { Batch, ValueFeatures }, result.Context.shape);
        double[] w = BlockTensors.Doubles(result.Weights);
        bool[] m = TensorValues.ToArray<bool>(mask);
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
        Tensor scrambled = torch.where(mask.unsqueeze(-1), values, values * 100 + 7);
        double[] again = BlockTensors.Doubles(Attend(layer, query, keys, scrambled, mask).Context);
        CollectionAssert.AreEqual(BlockTensors.Doubles(result.Context), again);
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferences(string kind)
    {
        using nn.Module? layer = Create(kind);
        using var maskScope = torch.NewDisposeScope();
        Tensor mask = torch.tensor(new[] { true, true, true, false, true, true, true, true }, [Batch, KeySteps]);
        GradientChecker.Check($"{kind} attention",
            x => Attend(layer, x[0], x[1], x[2], mask).Context,
            GradientInput.Of(RandomValues.Uniform(11, [Batch, 2, QueryFeatures]), Batch, 2, QueryFeatures),
            GradientInput.Of(RandomValues.Uniform(12, [Batch, KeySteps, KeyFeatures]), Batch, KeySteps, KeyFeatures),
            GradientInput.Of(RandomValues.Uniform(13, [Batch, KeySteps, ValueFeatures]), Batch, KeySteps, ValueFeatures));
    }

    [TestMethod]
    public void ParametersHavePyTorchNamesAndGradients()
    {
        using var additive = new AdditiveAttention(QueryFeatures, KeyFeatures, 5, new Generator(1));
        CollectionAssert.AreEquivalent(
            new[] { "query_projection.weight", "key_projection.weight", "key_projection.bias", "v" },
            additive.state_dict().Keys.ToArray());
        using var general = new LuongAttention(LuongScore.General, QueryFeatures, KeyFeatures, new Generator(2));
        CollectionAssert.AreEquivalent(new[] { "key_projection.weight" }, general.state_dict().Keys.ToArray());
        using var dot = new LuongAttention(LuongScore.Dot, QueryFeatures, KeyFeatures);
        Assert.AreEqual(0, dot.parameters().Count());
        using var multiHead = new MultiHeadSelfAttention(4, 2, new Generator(3));
        Assert.AreEqual(4 * (4 * 4 + 4), multiHead.parameters().Sum(p => p.numel()));

        // Every parameter gets a gradient, and a dtype change keeps the names (no duplicate registration).
        additive.to(ScalarType.Float64);
        Assert.AreEqual(4, additive.state_dict().Count);
        using (torch.NewDisposeScope())
        {
            Tensor query = torch.randn([Batch, QueryFeatures], ScalarType.Float64, generator: new Generator(4));
            Tensor keys = torch.randn([Batch, KeySteps, KeyFeatures], ScalarType.Float64, generator: new Generator(5));
            additive.Forward(query, keys, keys).Context.sum().backward();
        }

        foreach ((string name, TorchSharp.Modules.Parameter parameter) in additive.named_parameters())
        {
            Assert.AreEqual(ScalarType.Float64, parameter.dtype, name);
            Assert.IsNotNull(parameter.grad, $"{name} has no gradient");
        }
    }

    [TestMethod]
    public void ModulesBuiltInsideAScopeOutliveItAndNestUnderTheirRegisteredNames()
    {
        AdditiveAttention additive;
        MultiHeadSelfAttention multiHead;
        using (torch.NewDisposeScope())
        {
            additive = new AdditiveAttention(QueryFeatures, KeyFeatures, 5, new Generator(1));
            multiHead = new MultiHeadSelfAttention(4, 2, new Generator(2));
        }

        using var parent = new Parent(additive, multiHead);
        CollectionAssert.AreEquivalent(
            new[]
            {
                "additive.query_projection.weight", "additive.key_projection.weight", "additive.key_projection.bias", "additive.v",
                "self.query_projection.weight", "self.query_projection.bias", "self.key_projection.weight", "self.key_projection.bias",
                "self.value_projection.weight", "self.value_projection.bias", "self.output_projection.weight", "self.output_projection.bias",
            },
            parent.state_dict().Keys.ToArray());
        parent.to(ScalarType.Float64);
        Assert.AreEqual(12, parent.state_dict().Count);
        using var scope = torch.NewDisposeScope();
        Tensor keys = torch.randn([Batch, KeySteps, KeyFeatures], ScalarType.Float64, generator: new Generator(3));
        Tensor query = torch.randn([Batch, QueryFeatures], ScalarType.Float64, generator: new Generator(4));
        Assert.IsTrue(double.IsFinite(additive.Forward(query, keys, keys).Context.sum().item<double>()));
        Tensor input = torch.randn([Batch, KeySteps, 4], ScalarType.Float64, generator: new Generator(5));
        Assert.IsTrue(double.IsFinite(multiHead.Forward(input).Context.sum().item<double>()));
    }

    [TestMethod]
    public void MultiHeadGradientsMatchFiniteDifferences()
    {
        using var layer = new MultiHeadSelfAttention(4, 2, new Generator(4));
        layer.to(ScalarType.Float64);
        using var maskScope = torch.NewDisposeScope();
        Tensor mask = torch.tensor(new[] { true, true, true, true, true, false }, [2, 3]);
        GradientChecker.Check("multi-head self-attention",
            x => layer.Forward(x[0], mask, causal: true).Context,
            GradientInput.Of(RandomValues.Uniform(21, [2, 3, 4]), 2, 3, 4));
    }

    [TestMethod]
    public void MultiHeadRowEqualsItselfAloneAndRespectsCausality()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new MultiHeadSelfAttention(8, 2, new Generator(8));
        layer.to(ScalarType.Float64);
        Tensor input = torch.randn([2, 5, 8], ScalarType.Float64, generator: new Generator(9));
        Tensor mask = torch.tensor(new[] { true, true, true, false, false, true, true, true, true, true }, [2, 5]);
        AttentionResult batched = layer.Forward(input, mask, causal: true);
        Tensor alone = layer.Forward(input.narrow(0, 0, 1).narrow(1, 0, 3), null, causal: true).Context;
        double[] expected = BlockTensors.Doubles(alone);
        double[] actual = BlockTensors.Doubles(batched.Context.narrow(0, 0, 1).narrow(1, 0, 3));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-12, $"element {i}");
        }

        double[] weights = BlockTensors.Doubles(batched.Weights); // [2, heads, 5, 5]
        for (int i = 0; i < weights.Length; i++)
        {
            int key = i % 5, query = i / 5 % 5;
            if (key > query)
            {
                Assert.AreEqual(0.0, weights[i], $"weight {i}: query {query} must not see later key {key}");
            }
        }
    }

    private static nn.Module? Create(string kind)
    {
        nn.Module? layer = kind switch
        {
            "additive" => new AdditiveAttention(QueryFeatures, KeyFeatures, 5, new Generator(1)),
            "dot" => new LuongAttention(LuongScore.Dot, QueryFeatures, KeyFeatures),
            "general" => new LuongAttention(LuongScore.General, QueryFeatures, KeyFeatures, new Generator(2)),
            "scaled" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        layer?.to(ScalarType.Float64);
        return layer;
    }

    private static AttentionResult Attend(nn.Module? layer, Tensor query, Tensor keys, Tensor values, Tensor mask) =>
        layer switch
        {
            AdditiveAttention additive => additive.Forward(query, keys, values, mask),
            LuongAttention luong => luong.Forward(query, keys, values, mask),
            _ => Scaled(query, keys, values, mask),
        };

    private static AttentionResult Scaled(Tensor query, Tensor keys, Tensor values, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        bool single = query.dim() == 2;
        Tensor q = single ? query.unsqueeze(1) : query;
        AttentionResult r = ScaledDotProductAttention.Compute(q, keys, values, mask.unsqueeze(1));
        return single
            ? new AttentionResult(r.Context.squeeze(1).MoveToOuterDisposeScope(), r.Weights.squeeze(1).MoveToOuterDisposeScope())
            : new AttentionResult(r.Context.MoveToOuterDisposeScope(), r.Weights.MoveToOuterDisposeScope());
    }
}

/// <summary>A container module, as a task network would hold the blocks.</summary>
internal sealed class Parent : nn.Module
{
    public Parent(AdditiveAttention additive, MultiHeadSelfAttention multiHead)
        : base(nameof(Parent))
    {
        register_module("additive", additive);
        register_module("self", multiHead);
    }
}

/// <summary>Reads tensors back for the block tests.</summary>
internal static class BlockTensors
{
    /// <summary>Any tensor's values as float64, row-major, from a contiguous CPU copy.</summary>
    public static double[] Doubles(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return TensorValues.ToArray<double>(tensor.detach().cpu().to(ScalarType.Float64));
    }

    /// <summary>Any tensor's values as float32, row-major.</summary>
    public static float[] Floats(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return TensorValues.ToArray<float>(tensor.detach().cpu().to(ScalarType.Float32));
    }
}
