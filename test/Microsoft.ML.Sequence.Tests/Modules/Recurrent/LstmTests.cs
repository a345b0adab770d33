using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

[TestClass]
public sealed class LstmTests
{
    private const double Tolerance = 1e-5;

    [TestMethod]
    public void ParametersFollowPyTorchNamesShapesAndOrder()
    {
        using var lstm = new Lstm(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true);
        string[] names = lstm.named_parameters().Select(p => p.name).ToArray();
        string[] expected =
        [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
        ];
        CollectionAssert.AreEqual(expected, names);
        CollectionAssert.AreEqual(expected, lstm.state_dict().Keys.ToArray(), "state_dict keys are nn.LSTM's");
        Assert.IsEmpty(lstm.children(), "the native modules are not registered as children");
        Dictionary<string, Parameter> byName = lstm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        CollectionAssert.AreEqual(new long[] { 16, 3 }, byName["weight_ih_l0"].shape);
        CollectionAssert.AreEqual(new long[] { 16, 8 }, byName["weight_ih_l1_reverse"].shape);
        CollectionAssert.AreEqual(new long[] { 16, 4 }, byName["weight_hh_l1"].shape);
        CollectionAssert.AreEqual(new long[] { 16 }, byName["bias_hh_l0"].shape);
        using var uniform = new Lstm(new RecurrentLayerOptions
        {
            InputSize = 3, HiddenSize = 4, Initialization = RecurrentInitialization.PyTorchUniform,
        });
        Assert.IsTrue(uniform.parameters().All(p => RecurrentTestSupport.Floats(p).All(v => Math.Abs(v) <= 0.5f)), "U(−1/√4, 1/√4)");
    }

    [TestMethod]
    public void LengthsGiveTheSameResultsAsRunningEachSequenceAlone()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(11);
        using var lstm = new Lstm(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, generator: generator);
        long[] lengths = [2, 5, 3, 5];
        Tensor input = RecurrentTestSupport.Randn(generator, 4, 5, 3);

        RecurrentOutput batched = lstm.Forward(input, torch.tensor(lengths));
        CollectionAssert.AreEqual(new long[] { 4, 5, 8 }, batched.Output.shape);
        CollectionAssert.AreEqual(new long[] { 4, 4, 4 }, batched.FinalHidden.shape);

        for (int row = 0; row < lengths.Length; row++)
        {
            long length = lengths[row];
            RecurrentOutput alone = lstm.Forward(input.narrow(0, row, 1).narrow(1, 0, length));
            Tensor batchedRow = batched.Output.narrow(0, row, 1);
            RecurrentTestSupport.AssertClose(alone.Output, batchedRow.narrow(1, 0, length), Tolerance, $"row {row} outputs");
            if (length < 5)
            {
                Assert.IsTrue(RecurrentTestSupport.Floats(batchedRow.narrow(1, length, 5 - length)).All(v => v == 0f), $"row {row} padding");
            }

            RecurrentTestSupport.AssertClose(alone.FinalHidden, batched.FinalHidden.narrow(1, row, 1), Tolerance, $"row {row} final hidden");
            RecurrentTestSupport.AssertClose(alone.FinalCell!, batched.FinalCell!.narrow(1, row, 1), Tolerance, $"row {row} final cell");
        }
    }

    [TestMethod]
    public void InitialStatesFollowTheCallersRowOrder()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(12);
        using var lstm = new Lstm(inputSize: 2, hiddenSize: 3, generator: generator);
        Tensor input = RecurrentTestSupport.Randn(generator, 3, 4, 2);
        Tensor h0 = RecurrentTestSupport.Randn(generator, 1, 3, 3);
        Tensor c0 = RecurrentTestSupport.Randn(generator, 1, 3, 3);
        long[] lengths = [1, 4, 2];

        RecurrentOutput batched = lstm.Forward(input, torch.tensor(lengths), h0, c0);
        for (int row = 0; row < 3; row++)
        {
            RecurrentOutput alone = lstm.Forward(input.narrow(0, row, 1).narrow(1, 0, lengths[row]), null,
                h0.narrow(1, row, 1).contiguous(), c0.narrow(1, row, 1).contiguous());
            RecurrentTestSupport.AssertClose(alone.FinalHidden, batched.FinalHidden.narrow(1, row, 1), Tolerance, $"row {row} final hidden");
        }
    }

    [TestMethod]
    public void BadLengthsNameTheRow()
    {
        using var scope = torch.NewDisposeScope();
        using var lstm = new Lstm(2, 3);
        Tensor input = torch.zeros(3, 4, 2);
        var tooShort = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, RecurrentTestSupport.Longs(4, 0, 2)));
        StringAssert.Contains(tooShort.Message, "lengths[1]");
        var tooLong = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, RecurrentTestSupport.Longs(4, 1, 5)));
        StringAssert.Contains(tooLong.Message, "lengths[2]");
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, RecurrentTestSupport.Longs(4, 1)));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, torch.zeros(1, 3, 3)));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(torch.zeros(3, 4, 5)));
    }

    [TestMethod]
    public void LoadAndDeviceMoveKeepTheWeights()
    {
        using var scope = torch.NewDisposeScope();
        using var source = new Lstm(2, 3, bidirectional: true);
        using var target = new Lstm(2, 3, bidirectional: true);
        Tensor input = torch.randn(2, 4, 2);
        target.load_state_dict(source.state_dict());
        target.to(DeviceType.CPU);
        RecurrentTestSupport.AssertClose(source.Forward(input).Output, target.Forward(input).Output, Tolerance, "outputs after load");
    }

    [TestMethod]
    public void GradientsReachEveryParameter()
    {
        using var scope = torch.NewDisposeScope();
        using var lstm = new Lstm(2, 3, layers: 2);
        Tensor input = torch.randn(2, 4, 2);
        lstm.Forward(input, RecurrentTestSupport.Longs(3, 4)).Output.sum().backward();
        Assert.IsTrue(lstm.parameters().All(p => p.grad is not null));
    }

    [TestMethod]
    public void ForwardIsTheOutputOfForward()
    {
        using var scope = torch.NewDisposeScope();
        using var gru = new Gru(2, 3, bidirectional: true);
        Tensor input = torch.randn(2, 4, 2);
        RecurrentTestSupport.AssertClose(gru.Forward(input).Output, gru.call(input), 0, "call(x) = Forward(x).Output");
    }
}
