using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

[TestClass]
public sealed class LstmTests
{
    private const float Tolerance = 1e-5f;

    [TestMethod]
    public void ParametersFollowPyTorchNamesShapesAndOrder()
    {
        using var lstm = new Lstm(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true);
        string[] names = lstm.NamedParameters().Select(p => p.Key).ToArray();
        CollectionAssert.AreEqual(
            new[]
            {
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
            },
            names);
        Dictionary<string, ModuleParameter> byName = lstm.NamedParameters().ToDictionary();
        CollectionAssert.AreEqual(new long[] { 16, 3 }, byName["weight_ih_l0"].Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { 16, 8 }, byName["weight_ih_l1_reverse"].Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { 16, 4 }, byName["weight_hh_l1"].Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { 16 }, byName["bias_hh_l0"].Shape.ToArray());
        using var uniform = new Lstm(new RecurrentLayerOptions
        {
            InputSize = 3, HiddenSize = 4, Initialization = RecurrentInitialization.PyTorchUniform,
        });
        Assert.IsTrue(uniform.Parameters().All(p => p.Value.ToArray<float>().All(v => Math.Abs(v) <= 0.5f)), "U(−1/√4, 1/√4)");
    }

    [TestMethod]
    public void LengthsGiveTheSameResultsAsRunningEachSequenceAlone()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(11);
        using var lstm = new Lstm(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true, generator: generator);
        long[] lengths = [2, 5, 3, 5];
        Tensor input = Tensor.Randn([4, 5, 3], generator);

        RecurrentOutput batched = lstm.Forward(input, Tensor.From(lengths));
        CollectionAssert.AreEqual(new long[] { 4, 5, 8 }, batched.Output.Shape.ToArray());
        CollectionAssert.AreEqual(new long[] { 4, 4, 4 }, batched.FinalHidden.Shape.ToArray());

        for (int row = 0; row < lengths.Length; row++)
        {
            long length = lengths[row];
            RecurrentOutput alone = lstm.Forward(input.Narrow(0, row, 1).Narrow(1, 0, length));
            Tensor batchedRow = batched.Output.Narrow(0, row, 1);
            AssertClose(alone.Output, batchedRow.Narrow(1, 0, length), $"row {row} outputs");
            if (length < 5)
            {
                Assert.IsTrue(batchedRow.Narrow(1, length, 5 - length).ToArray<float>().All(v => v == 0f), $"row {row} padding");
            }

            AssertClose(alone.FinalHidden, batched.FinalHidden.Narrow(1, row, 1), $"row {row} final hidden");
            AssertClose(alone.FinalCell!, batched.FinalCell!.Narrow(1, row, 1), $"row {row} final cell");
        }
    }

    [TestMethod]
    public void InitialStatesFollowTheCallersRowOrder()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(12);
        using var lstm = new Lstm(inputSize: 2, hiddenSize: 3, generator: generator);
        Tensor input = Tensor.Randn([3, 4, 2], generator);
        Tensor h0 = Tensor.Randn([1, 3, 3], generator);
        Tensor c0 = Tensor.Randn([1, 3, 3], generator);
        long[] lengths = [1, 4, 2];

        RecurrentOutput batched = lstm.Forward(input, Tensor.From(lengths), h0, c0);
        for (int row = 0; row < 3; row++)
        {
            RecurrentOutput alone = lstm.Forward(input.Narrow(0, row, 1).Narrow(1, 0, lengths[row]), null,
                h0.Narrow(1, row, 1).Contiguous(), c0.Narrow(1, row, 1).Contiguous());
            AssertClose(alone.FinalHidden, batched.FinalHidden.Narrow(1, row, 1), $"row {row} final hidden");
        }
    }

    [TestMethod]
    public void BadLengthsNameTheRow()
    {
        using var scope = TensorScope.Begin();
        using var lstm = new Lstm(2, 3);
        Tensor input = Tensor.Zeros([3, 4, 2]);
        var tooShort = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, Tensor.From<long>([4, 0, 2])));
        StringAssert.Contains(tooShort.Message, "lengths[1]");
        var tooLong = Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, Tensor.From<long>([4, 1, 5])));
        StringAssert.Contains(tooLong.Message, "lengths[2]");
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, Tensor.From<long>([4, 1])));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(input, null, Tensor.Zeros([1, 3, 3])));
        Assert.ThrowsExactly<ArgumentException>(() => lstm.Forward(Tensor.Zeros([3, 4, 5])));
    }

    [TestMethod]
    public void LoadAndDeviceMoveRebuildTheFlatWeights()
    {
        using var scope = TensorScope.Begin();
        using var source = new Lstm(2, 3, bidirectional: true);
        using var target = new Lstm(2, 3, bidirectional: true);
        Tensor input = Tensor.Randn([2, 4, 2]);
        target.LoadStateDictionary(source.StateDictionary());
        target.To(Device.Cpu);
        AssertClose(source.Forward(input).Output, target.Forward(input).Output, "outputs after load");
    }

    [TestMethod]
    public void GradientsReachEveryParameter()
    {
        using var scope = TensorScope.Begin();
        using var lstm = new Lstm(2, 3, layers: 2);
        Tensor input = Tensor.Randn([2, 4, 2]);
        lstm.Forward(input, Tensor.From<long>([3, 4])).Output.Sum().Backward();
        Assert.IsTrue(lstm.Parameters().All(p => p.Grad is not null));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        CollectionAssert.AreEqual(expected.Shape.ToArray(), actual.Shape.ToArray(), what);
        float[] e = expected.Contiguous().ToArray<float>(), a = actual.Contiguous().ToArray<float>();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.AreEqual(e[i], a[i], Tolerance, $"{what}, element {i}");
        }
    }
}
