using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
        using var generator = new Generator(3);
        using RecurrentBase layer = RecurrentTestSupport.Create(mode, RecurrentTestSupport.Options(mode, 5, hidden, 2, true), generator);
        using var scope = torch.NewDisposeScope();
        int checkedBlocks = 0;
        foreach ((string name, Parameter p) in layer.named_parameters().Where(p => p.name.StartsWith("weight_hh", StringComparison.Ordinal)))
        {
            for (int gate = 0; gate < layer.GateCount; gate++)
            {
                Tensor block = p.detach().narrow(0, gate * hidden, hidden).to(ScalarType.Float64);
                Tensor gram = block.transpose(0, 1).matmul(block);
                double error = RecurrentTestSupport.Max((gram - torch.eye(hidden, dtype: ScalarType.Float64)).abs());
                Assert.IsLessThan(1e-5, error, $"{name} gate block {gate}: max |WᵀW − I| = {error}");
                checkedBlocks++;
            }
        }

        Assert.AreEqual(4 * layer.GateCount, checkedBlocks);
        // Distinct blocks: the QR draws are independent, not one matrix repeated.
        Tensor w = layer.named_parameters().First(p => p.name == "weight_hh_l0").parameter.detach();
        if (layer.GateCount > 1)
        {
            Assert.IsGreaterThan(0.1, RecurrentTestSupport.Max((w.narrow(0, 0, hidden) - w.narrow(0, hidden, hidden)).abs()));
        }
    }

    [TestMethod]
    public void InputWeightsAreGlorotUniformAndBiasesZeroExceptTheForgetGate()
    {
        using var generator = new Generator(4);
        using var lstm = new Lstm(inputSize: 6, hiddenSize: 5, layers: 2, generator: generator);
        Dictionary<string, Parameter> p = lstm.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        float[] wIh = RecurrentTestSupport.Floats(p["weight_ih_l0"]);
        double bound = Math.Sqrt(6.0 / (6 + 20));
        Assert.IsTrue(wIh.All(v => Math.Abs(v) <= bound), "weight_ih_l0 within the Glorot bound");
        Assert.IsGreaterThan(0.6 * bound, wIh.Max(v => Math.Abs(v)), "weight_ih_l0 uses the range");
        foreach (string layerSuffix in new[] { "_l0", "_l1" })
        {
            float[] bIh = RecurrentTestSupport.Floats(p["bias_ih" + layerSuffix]);
            float[] bHh = RecurrentTestSupport.Floats(p["bias_hh" + layerSuffix]);
            CollectionAssert.AreEqual(Enumerable.Repeat(0f, 5).Concat(Enumerable.Repeat(1f, 5)).Concat(Enumerable.Repeat(0f, 10)).ToArray(), bIh,
                "bias_ih: zero except the forget block (gate order i, f, g, o)");
            Assert.IsTrue(bHh.All(v => v == 0), "bias_hh is zero");
        }
    }

    [TestMethod]
    public void ForgetBiasIsConfigurable()
    {
        using var lstm = new Lstm(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, ForgetBias = 2.5 });
        float[] bIh = RecurrentTestSupport.Floats(lstm.named_parameters().First(p => p.name == "bias_ih_l0").parameter);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 2.5f, 2.5f, 2.5f, 0f, 0f, 0f, 0f, 0f, 0f }, bIh);
        Assert.IsEmpty(lstm.Warnings);
        using var cell = new LstmCell(2, 3, forgetBias: 2.5);
        CollectionAssert.AreEqual(bIh, RecurrentTestSupport.Floats(cell.named_parameters().First(p => p.name == "bias_ih").parameter));
    }

    [TestMethod]
    public void IdentityInitialisationForTheReluRnn()
    {
        using var rnn = new ElmanRnn(new RecurrentLayerOptions
        {
            InputSize = 3, HiddenSize = 4, Nonlinearity = ElmanNonlinearity.Relu, Initialization = RecurrentInitialization.Identity,
        });
        using var scope = torch.NewDisposeScope();
        Tensor w = rnn.named_parameters().First(p => p.name == "weight_hh_l0").parameter;
        CollectionAssert.AreEqual(RecurrentTestSupport.Floats(torch.eye(4)), RecurrentTestSupport.Floats(w));
        Assert.AreEqual(ElmanNonlinearity.Relu, rnn.Nonlinearity);
        Assert.AreEqual(RecurrentMode.RnnRelu, rnn.Mode);
    }

    [TestMethod]
    public void PyTorchUniformSchemeDrawsEveryElementFromTheUniformRange()
    {
        using var generator = new Generator(8);
        using var gru = new Gru(new RecurrentLayerOptions { InputSize = 3, HiddenSize = 16, Initialization = RecurrentInitialization.PyTorchUniform }, generator);
        float[] all = gru.parameters().SelectMany(RecurrentTestSupport.Floats).ToArray();
        Assert.IsTrue(all.All(v => Math.Abs(v) <= 0.25f), "U(−1/√16, 1/√16)");
        Assert.IsLessThan(3, all.Count(v => v == 0), "biases are drawn too, not zero");
    }

    [TestMethod]
    public void TheGeneratorAloneDecidesTheValues()
    {
        using var a = new Generator(12);
        using var b = new Generator(12);
        using var c = new Generator(13);
        using var first = new Lstm(3, 4, 2, true, a);
        // Draws from libtorch's global generator in between must not change the values.
        using (torch.NewDisposeScope())
        {
            torch.rand(100);
        }

        using var second = new Lstm(3, 4, 2, true, b);
        using var third = new Lstm(3, 4, 2, true, c);
        float[] Values(Lstm l) => l.parameters().SelectMany(RecurrentTestSupport.Floats).ToArray();
        CollectionAssert.AreEqual(Values(first), Values(second));
        CollectionAssert.AreNotEqual(Values(first), Values(third));
    }
}
