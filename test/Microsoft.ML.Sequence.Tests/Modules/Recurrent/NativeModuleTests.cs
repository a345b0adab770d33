using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// The layers hold TorchSharp's native <c>nn.LSTM</c>/<c>nn.GRU</c>/<c>nn.RNN</c> modules privately and register their
/// parameter tensors under PyTorch's names: loading, converting, moving and optimising through our module must reach
/// what the native modules compute with, and the result must equal a plain TorchSharp module with the same weights.
/// </summary>
[TestClass]
public sealed class NativeModuleTests
{
    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    [DataRow(RecurrentMode.RnnRelu)]
    public void LoadStateDictCopiesIntoTheTensorsTheNativeModulesRead(RecurrentMode mode)
    {
        using var scope = torch.NewDisposeScope();
        using var g1 = new Generator(51);
        using var g2 = new Generator(52);
        RecurrentLayerOptions options = RecurrentTestSupport.Options(mode, 3, 4, 2, true);
        using RecurrentBase source = RecurrentTestSupport.Create(mode, options, g1);
        using RecurrentBase target = RecurrentTestSupport.Create(mode, options, g2);
        Tensor input = RecurrentTestSupport.Randn(g1, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 2, 4);
        Parameter[] before = target.parameters().ToArray();
        Assert.IsGreaterThan(1e-3, RecurrentTestSupport.Max((source.Forward(input).Output - target.Forward(input).Output).abs()),
            "different generators give different layers");

        target.load_state_dict(source.state_dict());
        CollectionAssert.AreEqual(before, target.parameters().ToArray(), "load_state_dict copies in place: the same parameter objects");
        RecurrentTestSupport.AssertClose(source.Forward(input).Output, target.Forward(input).Output, 0, "padded (native module)");
        RecurrentTestSupport.AssertClose(source.Forward(input, lengths).Output, target.Forward(input, lengths).Output, 0, "packed (native module)");
    }

    [TestMethod]
    public void ConversionToFloat64KeepsKeysParametersAndForward()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(53);
        var options = new RecurrentLayerOptions { InputSize = 3, HiddenSize = 4, LayerCount = 2, Bidirectional = true, LearnedInitialState = true };
        using var lstm = new Lstm(options, generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 2, 4);
        string[] keys = lstm.state_dict().Keys.ToArray();
        RecurrentOutput single = lstm.Forward(input, lengths);

        lstm.to(ScalarType.Float64);
        CollectionAssert.AreEqual(keys, lstm.state_dict().Keys.ToArray(), "state_dict keys after to(Float64)");
        Assert.IsTrue(lstm.parameters().All(p => p.dtype == ScalarType.Float64), "every parameter is float64");
        Assert.HasCount(keys.Length, lstm.parameters());
        RecurrentOutput dbl = lstm.Forward(input.to(ScalarType.Float64), lengths);
        Assert.AreEqual(ScalarType.Float64, dbl.Output.dtype);
        RecurrentTestSupport.AssertClose(single.Output, dbl.Output, 1e-5, "float64 outputs = float32 outputs");
        RecurrentTestSupport.AssertClose(single.FinalCell!, dbl.FinalCell!, 1e-5, "float64 final cell = float32 final cell");
        // The per-step path reads the registered tensors directly: it agrees with the converted native modules.
        RecurrentOutput perStep = RunPerStep(lstm, input.to(ScalarType.Float64), lengths);
        RecurrentTestSupport.AssertClose(dbl.Output, perStep.Output, 1e-12, "per step = fused after conversion");

        using var optimizer = torch.optim.SGD(lstm.parameters(), 0.5);
        dbl.Output.square().sum().backward();
        optimizer.step();
        Tensor stepped = lstm.Forward(input.to(ScalarType.Float64), lengths).Output;
        Assert.IsGreaterThan(1e-4, RecurrentTestSupport.Max((stepped - dbl.Output).abs()), "the converted native modules see optimizer steps");
    }

    [TestMethod]
    public void DeviceMovesKeepKeysAndForward()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(54);
        using var gru = new Gru(new RecurrentLayerOptions { InputSize = 3, HiddenSize = 4, LayerCount = 2, Bidirectional = true, LearnedInitialState = true }, generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 2, 4);
        string[] keys = gru.state_dict().Keys.ToArray();
        Tensor expected = gru.Forward(input, lengths).Output;

        gru.to(DeviceType.CPU);
        gru.to(torch.CPU, ScalarType.Float32);
        CollectionAssert.AreEqual(keys, gru.state_dict().Keys.ToArray(), "state_dict keys after to(CPU)");
        RecurrentTestSupport.AssertClose(expected, gru.Forward(input, lengths).Output, 0, "outputs after to(CPU)");
        if (!torch.cuda.is_available())
        {
            return;
        }

        gru.to(DeviceType.CUDA);
        CollectionAssert.AreEqual(keys, gru.state_dict().Keys.ToArray(), "state_dict keys after to(CUDA)");
        Assert.IsTrue(gru.parameters().All(p => p.device_type == DeviceType.CUDA), "every parameter is on the GPU");
        Tensor onGpu = gru.Forward(input.cuda(), lengths).Output;
        Assert.AreEqual(DeviceType.CUDA, onGpu.device_type);
        RecurrentTestSupport.AssertClose(expected, onGpu, 1e-5, "outputs on the GPU");
        gru.to(DeviceType.CPU);
        RecurrentTestSupport.AssertClose(expected, gru.Forward(input, lengths).Output, 1e-5, "outputs back on the CPU");
    }

    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    [DataRow(RecurrentMode.RnnTanh)]
    public void OptimizerStepsOnParametersChangeWhatTheNativeModulesCompute(RecurrentMode mode)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(55);
        using RecurrentBase layer = RecurrentTestSupport.Create(mode, RecurrentTestSupport.Options(mode, 3, 4, 2, true), generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 2, 4);
        using var optimizer = torch.optim.Adam(layer.parameters(), 0.05);
        Tensor before = layer.Forward(input, lengths).Output.detach();
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            layer.Forward(input, lengths).Output.square().sum().backward();
            optimizer.step();
        }

        Tensor fused = layer.Forward(input, lengths).Output;
        Assert.IsGreaterThan(1e-3, RecurrentTestSupport.Max((fused - before).abs()), "the steps changed the fused outputs");
        RecurrentTestSupport.AssertClose(RunPerStep(layer, input, lengths).Output, fused, 1e-5,
            "fused (native modules) = per step (registered tensors) after the steps");
    }

    [TestMethod]
    public void TwoLayerBidirectionalLstmEqualsAPlainTorchSharpLstm()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(56);
        using var ours = new Lstm(3, 4, layers: 2, bidirectional: true, generator: generator);
        ours.to(ScalarType.Float64);
        using LSTM plain = nn.LSTM(3, 4, numLayers: 2, batchFirst: true, bidirectional: true);
        plain.to(ScalarType.Float64);
        plain.load_state_dict(ours.state_dict());
        Tensor input = torch.randn(new long[] { 3, 5, 3 }, ScalarType.Float64, generator: generator);
        Tensor h0 = torch.randn(new long[] { 4, 3, 4 }, ScalarType.Float64, generator: generator);
        Tensor c0 = torch.randn(new long[] { 4, 3, 4 }, ScalarType.Float64, generator: generator);

        RecurrentOutput actual = ours.Forward(input, null, h0, c0);
        (Tensor output, Tensor hN, Tensor cN) = plain.call(input, (h0, c0));
        RecurrentTestSupport.AssertClose(output, actual.Output, 1e-10, "output");
        RecurrentTestSupport.AssertClose(hN, actual.FinalHidden, 1e-10, "final hidden");
        RecurrentTestSupport.AssertClose(cN, actual.FinalCell!, 1e-10, "final cell");

        // Variable lengths: ours (packed) against the plain module on a packed batch of the same rows.
        Tensor lengths = RecurrentTestSupport.Longs(2, 5, 3);
        var packed = nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first: true, enforce_sorted: false);
        (var packedOutput, Tensor packedHidden, Tensor packedCell) = plain.call(packed, (h0, c0));
        (Tensor padded, _) = nn.utils.rnn.pad_packed_sequence(packedOutput, batch_first: true, total_length: 5);
        RecurrentOutput withLengths = ours.Forward(input, lengths, h0, c0);
        RecurrentTestSupport.AssertClose(padded, withLengths.Output, 1e-10, "packed output");
        RecurrentTestSupport.AssertClose(packedHidden, withLengths.FinalHidden, 1e-10, "packed final hidden");
        RecurrentTestSupport.AssertClose(packedCell, withLengths.FinalCell!, 1e-10, "packed final cell");
    }

    /// <summary>The same layer's weights run by the per-step cells (a second layer that shares nothing but the
    /// values, loaded from the first one's state dictionary).</summary>
    private static RecurrentOutput RunPerStep(RecurrentBase layer, Tensor input, Tensor lengths)
    {
        RecurrentLayerOptions options = layer.Options;
        options.Kernel = RecurrentKernel.PerStep;
        options.VariableLengths = VariableLengthStrategy.Auto;
        using RecurrentBase perStep = RecurrentTestSupport.Create(layer.Mode, options);
        perStep.to(input.dtype);
        perStep.load_state_dict(layer.state_dict());
        return perStep.Forward(input, lengths);
    }
}
