using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Layer features: merge modes, residual connections, learned and injected initial states, dropout from the
/// layer's generator, biases off, and the checks and warnings of the options.</summary>
[TestClass]
public sealed class RecurrentLayerTests
{
    [TestMethod]
    public void MergeModesCombineTheTwoDirections()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(21);
        Tensor input = Tensor.Randn([2, 4, 3], generator);
        Tensor lengths = Tensor.From<long>([4, 2]);
        RecurrentOutput Run(BidirectionalMerge merge)
        {
            using var g = new RandomGenerator(22);
            using var gru = new Gru(new RecurrentLayerOptions { InputSize = 3, HiddenSize = 5, Bidirectional = true, Merge = merge }, g);
            Assert.AreEqual(merge == BidirectionalMerge.Concat ? 10 : 5, gru.OutputSize);
            return gru.Forward(input, lengths);
        }

        Tensor concat = Run(BidirectionalMerge.Concat).Output;
        RecurrentOutput sum = Run(BidirectionalMerge.Sum);
        Tensor average = Run(BidirectionalMerge.Average).Output;
        Tensor expected = concat.Narrow(2, 0, 5) + concat.Narrow(2, 5, 5);
        RecurrentTestSupport.AssertClose(expected, sum.Output, 1e-6, "sum");
        RecurrentTestSupport.AssertClose(expected * 0.5, average, 1e-6, "average");
        CollectionAssert.AreEqual(new long[] { 2, 2, 5 }, sum.FinalHidden.Shape.ToArray(), "final states keep both directions");
    }

    [TestMethod]
    [DataRow(RecurrentKernel.Fused, VariableLengthStrategy.Packed)]
    [DataRow(RecurrentKernel.Fused, VariableLengthStrategy.Masked)]
    [DataRow(RecurrentKernel.PerStep, VariableLengthStrategy.Auto)]
    public void ResidualAddsEachUpperLayersInput(RecurrentKernel kernel, VariableLengthStrategy strategy)
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(23);
        RecurrentLayerOptions options = RecurrentTestSupport.Options(RecurrentMode.Lstm, 3, 4, 2, true, kernel, strategy);
        using var plain = new Lstm(options, generator);
        options.Residual = true;
        using var residual = new Lstm(options);
        using var bottom = new Lstm(RecurrentTestSupport.Options(RecurrentMode.Lstm, 3, 4, 1, true, kernel, strategy));
        residual.LoadStateDictionary(plain.StateDictionary());
        bottom.LoadStateDictionary(plain.StateDictionary(), strict: false);
        Tensor input = Tensor.Randn([3, 5, 3], generator);
        Tensor lengths = Tensor.From<long>([5, 2, 3]);
        // out_res = RNN_1(y0) + y0 and out_plain = RNN_1(y0), where y0 is the first layer's output.
        Tensor difference = residual.Forward(input, lengths).Output - plain.Forward(input, lengths).Output;
        RecurrentTestSupport.AssertClose(bottom.Forward(input, lengths).Output, difference, 1e-6, "residual − plain = first layer's output");
        Assert.IsEmpty(residual.Warnings);
    }

    [TestMethod]
    public void LearnedInitialStateIsRegisteredUsedAndTrained()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(24);
        var options = new RecurrentLayerOptions { InputSize = 3, HiddenSize = 4, LayerCount = 2, Bidirectional = true, LearnedInitialState = true };
        using var lstm = new Lstm(options, generator);
        string[] names = lstm.NamedParameters().Select(p => p.Key).ToArray();
        CollectionAssert.AreEqual(new[] { "initial_hidden", "initial_cell" }, names[^2..]);
        Dictionary<string, ModuleParameter> p = lstm.NamedParameters().ToDictionary();
        CollectionAssert.AreEqual(new long[] { 4, 4 }, p["initial_hidden"].Shape.ToArray());

        Tensor input = Tensor.Randn([3, 5, 3], generator);
        Tensor lengths = Tensor.From<long>([5, 1, 3]);
        RecurrentOutput zero = lstm.Forward(input, lengths);
        zero.Output.Square().Sum().Backward();
        foreach (string name in new[] { "initial_hidden", "initial_cell" })
        {
            Tensor grad = p[name].Grad!;
            Assert.IsGreaterThan(1e-6, grad.Abs().Max().ToScalar(), $"{name} receives a gradient");
        }

        using (NoGradScope.Begin())
        {
            p["initial_hidden"].Value.FillInPlace(0.3);
            p["initial_cell"].Value.FillInPlace(-0.2);
        }

        // The learned state equals passing the same values explicitly, and an injected state replaces it.
        Tensor h0 = Tensor.Full([4, 3, 4], 0.3), c0 = Tensor.Full([4, 3, 4], -0.2);
        RecurrentTestSupport.AssertClose(lstm.Forward(input, lengths, h0, c0).Output, lstm.Forward(input, lengths).Output, 1e-6, "learned = injected");
        Tensor zeros = Tensor.Zeros([4, 3, 4]);
        RecurrentTestSupport.AssertClose(zero.Output, lstm.Forward(input, lengths, zeros, zeros).Output, 1e-6, "injected zeros override");
    }

    [TestMethod]
    public void InjectedInitialStateIsValidated()
    {
        using var scope = TensorScope.Begin();
        using var lstm = new Lstm(3, 4, layers: 2);
        using var gru = new Gru(3, 4);
        Tensor input = Tensor.Zeros([2, 5, 3]);
        Tensor good = Tensor.Zeros([2, 2, 4]);
        var wrong = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, Tensor.Zeros([1, 2, 4]), Tensor.Zeros([1, 2, 4])));
        StringAssert.Contains(wrong.Message, "[2, 2, 4]");
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, good));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, good, Tensor.Zeros([2, 2, 4], DType.Float64)));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(input, null, Tensor.Zeros([1, 2, 4]), Tensor.Zeros([1, 2, 4])));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(Tensor.Zeros([2, 5, 3], DType.Float64)));
        Assert.ThrowsExactly<ArgumentException>(() => gru.Forward(Tensor.Zeros([2, 5, 4])));
    }

    [TestMethod]
    [DataRow(VariableLengthStrategy.Packed)]
    [DataRow(VariableLengthStrategy.Masked)]
    public void DropoutBetweenLayersComesFromTheLayersGenerator(VariableLengthStrategy strategy)
    {
        using var scope = TensorScope.Begin();
        Tensor input;
        using (var data = new RandomGenerator(1))
        {
            input = Tensor.Randn([4, 6, 3], data);
        }

        Tensor lengths = Tensor.From<long>([6, 3, 5, 1]);
        (Tensor Train, Tensor Eval) Run(ulong seed, double dropout)
        {
            using var generator = new RandomGenerator(seed);
            var options = new RecurrentLayerOptions { InputSize = 3, HiddenSize = 8, LayerCount = 3, Dropout = dropout, VariableLengths = strategy };
            using var lstm = new Lstm(options, generator);
            // Draws from libtorch's global generator in between must not change the masks.
            using (TensorScope.Begin())
            {
                Tensor.Rand([100]);
            }

            Tensor train = lstm.Forward(input, lengths).Output;
            lstm.Eval();
            return (train, lstm.Forward(input, lengths).Output);
        }

        (Tensor first, Tensor firstEval) = Run(7, 0.5);
        (Tensor second, _) = Run(7, 0.5);
        (Tensor other, _) = Run(8, 0.5);
        (Tensor none, Tensor noneEval) = Run(7, 0);
        RecurrentTestSupport.AssertClose(first, second, 0, "same seed, same masks");
        Assert.IsGreaterThan(1e-3, (first - other).Abs().Max().ToScalar(), "another seed gives other masks");
        Assert.IsGreaterThan(1e-3, (first - none).Abs().Max().ToScalar(), "dropout changes training outputs");
        RecurrentTestSupport.AssertClose(noneEval, firstEval, 1e-6, "evaluation mode has no dropout");
    }

    [TestMethod]
    public void LayersWithoutBiasesMatchTheirPerStepCells()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(25);
        RecurrentLayerOptions options = RecurrentTestSupport.Options(RecurrentMode.Gru, 3, 4, 2, true);
        options.HasBiases = false;
        using var fused = new Gru(options, generator);
        options.Kernel = RecurrentKernel.PerStep;
        using var perStep = new Gru(options);
        perStep.LoadStateDictionary(fused.StateDictionary());
        Assert.AreEqual(8, fused.NamedParameters().Count());
        Tensor input = Tensor.Randn([3, 4, 3], generator);
        Tensor lengths = Tensor.From<long>([2, 4, 3]);
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
        using var scope = TensorScope.Begin();
        using var rnn = new ElmanRnn(new RecurrentLayerOptions { InputSize = 2, HiddenSize = 3, Kernel = RecurrentKernel.Fused });
        var error = Assert.ThrowsExactly<NotSupportedException>(() => rnn.Forward(Tensor.Zeros([1, 2, 2], DType.Int64)));
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
