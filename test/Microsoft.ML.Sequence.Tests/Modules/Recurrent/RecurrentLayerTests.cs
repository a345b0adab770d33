using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Layer features: merge modes, residual connections, learned and injected initial states, dropout from the
/// layer's generator, biases off, and the checks and warnings of the options.</summary>
[TestClass]
public sealed class RecurrentLayerTests
{
    [TestMethod]
    public void MergeModesCombineTheTwoDirections()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(21);
        Tensor input = RecurrentTestSupport.Randn(generator, 2, 4, 3);
        Tensor lengths = RecurrentTestSupport.Longs(4, 2);
        RecurrentOutput Run(BidirectionalMerge merge)
        {
            using var g = new Generator(22);
            using var gru = new Gru(new RecurrentLayerOptions { InputSize = 3, HiddenSize = 5, Bidirectional = true, Merge = merge }, g);
            Assert.AreEqual(merge == BidirectionalMerge.Concat ? 10 : 5, gru.OutputSize);
            return gru.Forward(input, lengths);
        }

        Tensor concat = Run(BidirectionalMerge.Concat).Output;
        RecurrentOutput sum = Run(BidirectionalMerge.Sum);
        Tensor average = Run(BidirectionalMerge.Average).Output;
        Tensor expected = concat.narrow(2, 0, 5) + concat.narrow(2, 5, 5);
        RecurrentTestSupport.AssertClose(expected, sum.Output, 1e-6, "sum");
        RecurrentTestSupport.AssertClose(expected * 0.5, average, 1e-6, "average");
        CollectionAssert.AreEqual(new long[] { 2, 2, 5 }, sum.FinalHidden.shape, "final states keep both directions");
    }

    [TestMethod]
    [DataRow(RecurrentKernel.Fused, VariableLengthStrategy.Packed)]
    [DataRow(RecurrentKernel.Fused, VariableLengthStrategy.Masked)]
    [DataRow(RecurrentKernel.PerStep, VariableLengthStrategy.Auto)]
    public void ResidualAddsEachUpperLayersInput(RecurrentKernel kernel, VariableLengthStrategy strategy)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(23);
        RecurrentLayerOptions options = RecurrentTestSupport.Options(RecurrentMode.Lstm, 3, 4, 2, true, kernel, strategy);
        using var plain = new Lstm(options, generator);
        options.Residual = true;
        using var residual = new Lstm(options);
        using var bottom = new Lstm(RecurrentTestSupport.Options(RecurrentMode.Lstm, 3, 4, 1, true, kernel, strategy));
        residual.load_state_dict(plain.state_dict());
        bottom.load_state_dict(plain.state_dict(), strict: false);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 2, 3);
        // out_res = RNN_1(y0) + y0 and out_plain = RNN_1(y0), where y0 is the first layer's output.
        Tensor difference = residual.Forward(input, lengths).Output - plain.Forward(input, lengths).Output;
        RecurrentTestSupport.AssertClose(bottom.Forward(input, lengths).Output, difference, 1e-6, "residual − plain = first layer's output");
        Assert.IsEmpty(residual.Warnings);
    }

    [TestMethod]
    public void LearnedInitialStateIsRegisteredUsedAndTrained()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(24);
        var options = new RecurrentLayerOptions { InputSize = 3, HiddenSize = 4, LayerCount = 2, Bidirectional = true, LearnedInitialState = true };
        using var lstm = new Lstm(options, generator);
        string[] names = lstm.named_parameters().Select(p => p.name).ToArray();
        CollectionAssert.AreEqual(new[] { "initial_hidden", "initial_cell" }, names[^2..]);
        Dictionary<string, Parameter> p = lstm.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        CollectionAssert.AreEqual(new long[] { 4, 4 }, p["initial_hidden"].shape);

        Tensor input = RecurrentTestSupport.Randn(generator, 3, 5, 3);
        Tensor lengths = RecurrentTestSupport.Longs(5, 1, 3);
        RecurrentOutput zero = lstm.Forward(input, lengths);
        zero.Output.square().sum().backward();
        foreach (string name in new[] { "initial_hidden", "initial_cell" })
        {
            Tensor grad = p[name].grad!;
            Assert.IsGreaterThan(1e-6, RecurrentTestSupport.Max(grad.abs()), $"{name} receives a gradient");
        }

        using (torch.no_grad())
        {
            p["initial_hidden"].fill_(0.3);
            p["initial_cell"].fill_(-0.2);
        }

        // The learned state equals passing the same values explicitly, and an injected state replaces it.
        Tensor h0 = torch.full(4, 3, 4, 0.3), c0 = torch.full(4, 3, 4, -0.2);
        RecurrentTestSupport.AssertClose(lstm.Forward(input, lengths, h0, c0).Output, lstm.Forward(input, lengths).Output, 1e-6, "learned = injected");
        Tensor zeros = torch.zeros(4, 3, 4);
        RecurrentTestSupport.AssertClose(zero.Output, lstm.Forward(input, lengths, zeros, zeros).Output, 1e-6, "injected zeros override");
    }

    [TestMethod]
    public void InjectedInitialStateIsValidated()
    {
        using var scope = torch.NewDisposeScope();
        using var lstm = new Lstm(3, 4, layers: 2);
        using var gru = new Gru(3, 4);
        Tensor input = torch.zeros(2, 5, 3);
        Tensor good = torch.zeros(2, 2, 4);
        var wrong = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)));
        StringAssert.Contains(wrong.Message, "[2, 2, 4]");
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, good));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, good, torch.zeros(2, 2, 4, dtype: ScalarType.Float64)));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(input, null, torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(torch.zeros(2, 5, 3, dtype: ScalarType.Float64)));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(torch.zeros(2, 5, 4)));
    }

    [TestMethod]
    [DataRow(VariableLengthStrategy.Packed)]
    [DataRow(VariableLengthStrategy.Masked)]
    public void DropoutBetweenLayersComesFromTheLayersGenerator(VariableLengthStrategy strategy)
    {
        using var scope = torch.NewDisposeScope();
        Tensor input;
        using (var data = new Generator(1))
        {
            input = RecurrentTestSupport.Randn(data, 4, 6, 3);
        }

        Tensor lengths = RecurrentTestSupport.Longs(6, 3, 5, 1);
        (Tensor Train, Tensor Eval) Run(ulong seed, double dropout)
        {
            using var generator = new Generator(seed);
            var options = new RecurrentLayerOptions { InputSize = 3, HiddenSize = 8, LayerCount = 3, Dropout = dropout, VariableLengths = strategy };
            using var lstm = new Lstm(options, generator);
            // Draws from libtorch's global generator in between must not change the masks.
            using (torch.NewDisposeScope())
            {
                torch.rand(100);
            }

            Tensor train = lstm.Forward(input, lengths).Output;
            lstm.eval();
            return (train, lstm.Forward(input, lengths).Output);
        }

        (Tensor first, Tensor firstEval) = Run(7, 0.5);
        (Tensor second, _) = Run(7, 0.5);
        (Tensor other, _) = Run(8, 0.5);
        (Tensor none, Tensor noneEval) = Run(7, 0);
        RecurrentTestSupport.AssertClose(first, second, 0, "same seed, same masks");
        Assert.IsGreaterThan(1e-3, RecurrentTestSupport.Max((first - other).abs()), "another seed gives other masks");
        Assert.IsGreaterThan(1e-3, RecurrentTestSupport.Max((first - none).abs()), "dropout changes training outputs");
        RecurrentTestSupport.AssertClose(noneEval, firstEval, 1e-6, "evaluation mode has no dropout");
    }

    [TestMethod]
    public void LayersWithoutBiasesMatchTheirPerStepCells()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(25);
        RecurrentLayerOptions options = RecurrentTestSupport.Options(RecurrentMode.Gru, 3, 4, 2, true);
        options.HasBiases = false;
        using var fused = new Gru(options, generator);
        options.Kernel = RecurrentKernel.PerStep;
        using var perStep = new Gru(options);
        perStep.load_state_dict(fused.state_dict());
        Assert.AreEqual(8, fused.named_parameters().Count());
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 4, 3);
        Tensor lengths = RecurrentTestSupport.Longs(2, 4, 3);
        RecurrentTestSupport.AssertClose(fused.Forward(input, lengths).Output, perStep.Forward(input, lengths).Output, 1e-5, "outputs");
    }

    [TestMethod]
    public void SettingsWithoutEffectWarnAndInvalidValuesThrow()
    {
        using var lstm = new Lstm(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, Dropout = 0.3, Residual = true, Merge = BidirectionalMerge.Sum });
        Assert.HasCount(3, lstm.Warnings);
        StringAssert.Contains(lstm.Warnings[0], "Dropout = 0.3 has no effect");
        using var gru = new Gru(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, ForgetBias = 2, Nonlinearity = ElmanNonlinearity.Relu });
        Assert.HasCount(2, gru.Warnings);
        using var plain = new Lstm(2, 3, layers: 2);
        Assert.IsEmpty(plain.Warnings);

        var hidden = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Lstm(2, 0));
        StringAssert.Contains(hidden.Message, "HiddenSize must be in [1,");
        StringAssert.Contains(hidden.Message, "got 0");
        var dropout = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentLayerOptions { Dropout = 1 }.Validate());
        StringAssert.Contains(dropout.Message, "Dropout must be in [0, 1); got 1");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentLayerOptions { LayerCount = 0 }.Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentLayerOptions { Merge = (BidirectionalMerge)7 }.Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecurrentLayerOptions { ForgetBias = double.NaN }.Validate());
        Assert.ThrowsExactly<ArgumentException>(() =>
            new RecurrentLayerOptions { Kernel = RecurrentKernel.PerStep, VariableLengths = VariableLengthStrategy.Packed }.Validate());
    }

    [TestMethod]
    public void FusedKernelSaysWhyItCannotRun()
    {
        using var scope = torch.NewDisposeScope();
        using var rnn = new ElmanRnn(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, Kernel = RecurrentKernel.Fused });
        var error = Assert.ThrowsExactly<NotSupportedException>(() => rnn.Forward(torch.zeros(1, 2, 2, dtype: ScalarType.Int64)));
        StringAssert.Contains(error.Message, "float32 or float64");
    }

    [TestMethod]
    public void OptionsAreCopied()
    {
        var options = new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3 };
        using var lstm = new Lstm(options);
        options.HiddenSize = 9;
        Assert.AreEqual(3, lstm.HiddenSize);
        Assert.AreEqual(3, lstm.Options.HiddenSize);
    }
}
