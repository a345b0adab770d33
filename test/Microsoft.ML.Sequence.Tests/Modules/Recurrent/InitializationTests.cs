using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>The initialisation schemes: orthogonal recurrent blocks, Glorot input weights, the LSTM forget bias, the
/// identity (IRNN) and PyTorch-uniform options, and reproducibility from the layer's generator.</summary>
[TestClass]
public sealed class InitializationTests
{
    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    [DataRow(RecurrentMode.RnnTanh)]
    public void RecurrentGateBlocksAreOrthogonal(RecurrentMode mode)
    {
        const int hidden = 16;
        using var generator = new RandomGenerator(3);
        using RecurrentBase layer = RecurrentTestSupport.Create(mode, RecurrentTestSupport.Options(mode, 5, hidden, 2, true), generator);
        using var scope = TensorScope.Begin();
        int checkedBlocks = 0;
        foreach ((string name, ModuleParameter p) in layer.NamedParameters().Where(p => p.Key.StartsWith("weight_hh", StringComparison.Ordinal)))
        {
            for (int gate = 0; gate < layer.GateCount; gate++)
            {
                Tensor block = p.Value.Narrow(0, gate * hidden, hidden).To(DType.Float64);
                Tensor gram = block.Transpose(0, 1).MatMul(block);
                double error = (gram - Tensor.Eye(hidden, DType.Float64)).Abs().Max().ToScalar();
                Assert.IsLessThan(1e-5, error, $"{name} gate block {gate}: max |WᵀW − I| = {error}");
                checkedBlocks++;
            }
        }

        Assert.AreEqual(4 * layer.GateCount, checkedBlocks);
        // Distinct blocks: the QR draws are independent, not one matrix repeated.
        Tensor w = layer.NamedParameters().First(p => p.Key == "weight_hh_l0").Value.Value;
        if (layer.GateCount > 1)
        {
            Assert.IsGreaterThan(0.1, (w.Narrow(0, 0, hidden) - w.Narrow(0, hidden, hidden)).Abs().Max().ToScalar());
        }
    }

    [TestMethod]
    public void InputWeightsAreGlorotUniformAndBiasesZeroExceptTheForgetGate()
    {
        using var generator = new RandomGenerator(4);
        using var lstm = new Lstm(inputSize: 6, hiddenSize: 5, layers: 2, generator: generator);
        Dictionary<string, ModuleParameter> p = lstm.NamedParameters().ToDictionary();
        float[] wIh = p["weight_ih_l0"].Value.ToArray<float>();
        double bound = Math.Sqrt(6.0 / (6 + 20));
        Assert.IsTrue(wIh.All(v => Math.Abs(v) <= bound), "weight_ih_l0 within the Glorot bound");
        Assert.IsGreaterThan(0.6 * bound, wIh.Max(v => Math.Abs(v)), "weight_ih_l0 uses the range");
        foreach (string layerSuffix in new[] { "_l0", "_l1" })
        {
            float[] bIh = p["bias_ih" + layerSuffix].Value.ToArray<float>();
            float[] bHh = p["bias_hh" + layerSuffix].Value.ToArray<float>();
            CollectionAssert.AreEqual(Enumerable.Repeat(0f, 5).Concat(Enumerable.Repeat(1f, 5)).Concat(Enumerable.Repeat(0f, 10)).ToArray(), bIh,
                "bias_ih: zero except the forget block (gate order i, f, g, o)");
            Assert.IsTrue(bHh.All(v => v == 0), "bias_hh is zero");
        }
    }

    [TestMethod]
    public void ForgetBiasIsConfigurable()
    {
        using var lstm = new Lstm(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, ForgetBias = 2.5 });
        float[] bIh = lstm.NamedParameters().First(p => p.Key == "bias_ih_l0").Value.Value.ToArray<float>();
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 2.5f, 2.5f, 2.5f, 0f, 0f, 0f, 0f, 0f, 0f }, bIh);
        Assert.IsEmpty(lstm.Warnings);
        using var cell = new LstmCell(2, 3, forgetBias: 2.5);
        CollectionAssert.AreEqual(bIh, cell.NamedParameters().First(p => p.Key == "bias_ih").Value.Value.ToArray<float>());
    }

    [TestMethod]
    public void IdentityInitialisationForTheReluRnn()
    {
        using var rnn = new ElmanRnn(new RecurrentLayerOptions
        {
            InputSize = 3, HiddenSize = 4, Nonlinearity = ElmanNonlinearity.Relu, Initialization = RecurrentInitialization.Identity,
        });
        using var scope = TensorScope.Begin();
        Tensor w = rnn.NamedParameters().First(p => p.Key == "weight_hh_l0").Value.Value;
        CollectionAssert.AreEqual(Tensor.Eye(4).ToArray<float>(), w.ToArray<float>());
        Assert.AreEqual(ElmanNonlinearity.Relu, rnn.Nonlinearity);
        Assert.AreEqual(RecurrentMode.RnnRelu, rnn.Mode);
    }

    [TestMethod]
    public void PyTorchUniformSchemeDrawsEveryElementFromTheUniformRange()
    {
        using var generator = new RandomGenerator(8);
        using var gru = new Gru(new RecurrentLayerOptions { InputSize = 3, HiddenSize = 16, Initialization = RecurrentInitialization.PyTorchUniform }, generator);
        float[] all = gru.Parameters().SelectMany(p => p.Value.ToArray<float>()).ToArray();
        Assert.IsTrue(all.All(v => Math.Abs(v) <= 0.25f), "U(−1/√16, 1/√16)");
        Assert.IsTrue(all.Count(v => v == 0) < 3, "biases are drawn too, not zero");
    }

    [TestMethod]
    public void TheGeneratorAloneDecidesTheValues()
    {
        using var a = new RandomGenerator(12);
        using var b = new RandomGenerator(12);
        using var c = new RandomGenerator(13);
        using var first = new Lstm(3, 4, 2, true, a);
        using var second = new Lstm(3, 4, 2, true, b);
        using var third = new Lstm(3, 4, 2, true, c);
        float[] Values(Lstm l) => l.Parameters().SelectMany(p => p.Value.ToArray<float>()).ToArray();
        CollectionAssert.AreEqual(Values(first), Values(second));
        CollectionAssert.AreNotEqual(Values(first), Values(third));
    }
}
