using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary><see cref="StepRecurrentLayer"/> with the built-in cells and with a user cell.</summary>
[TestClass]
public sealed class StepRecurrentLayerTests
{
    [TestMethod]
    [DataRow(RecurrentMode.Lstm)]
    [DataRow(RecurrentMode.Gru)]
    [DataRow(RecurrentMode.RnnRelu)]
    public void BuiltInCellsMatchTheFusedLayerOnTheSameWeights(RecurrentMode mode)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(31);
        using RecurrentBase layer = RecurrentTestSupport.Create(mode, RecurrentTestSupport.Options(mode, 3, 4, 1, true), generator);
        IRecurrentCell Cell() => mode switch
        {
            RecurrentMode.Lstm => new LstmCell(3, 4),
            RecurrentMode.Gru => new GruCell(3, 4),
            _ => new ElmanCell(3, 4, ElmanNonlinearity.Relu),
        };

        using var steps = new StepRecurrentLayer(Cell(), Cell());
        Dictionary<string, Tensor> source = layer.state_dict();
        var mapped = source.ToDictionary(
            entry => (entry.Key.EndsWith("_reverse", StringComparison.Ordinal) ? "cell_reverse." : "cell.")
                + entry.Key.Replace("_l0", string.Empty, StringComparison.Ordinal).Replace("_reverse", string.Empty, StringComparison.Ordinal),
            entry => entry.Value);
        steps.load_state_dict(mapped);
        Assert.AreEqual(8, steps.named_parameters().Count());

        Tensor input = RecurrentTestSupport.Randn(generator, 3, 6, 3);
        Tensor lengths = RecurrentTestSupport.Longs(2, 6, 4);
        RecurrentOutput expected = layer.Forward(input, lengths);
        RecurrentOutput actual = steps.Forward(input, lengths);
        RecurrentTestSupport.AssertClose(expected.Output, actual.Output, 1e-5, $"{mode} outputs");
        RecurrentTestSupport.AssertClose(expected.FinalHidden, actual.FinalHidden, 1e-5, $"{mode} final hidden");
        if (mode == RecurrentMode.Lstm)
        {
            RecurrentTestSupport.AssertClose(expected.FinalCell!, actual.FinalCell!, 1e-5, $"{mode} final cell");
        }
        else
        {
            Assert.IsNull(actual.FinalCell);
        }
    }

    [TestMethod]
    public void AUserCellSeesEachRowsValidStepsInDirectionOrder()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new StepRecurrentLayer(new RunningSumCell(), new RunningSumCell());
        // Row 0: 1, 2, 3 (then padding 100); row 1: 10 (then padding 100, 100).
        Tensor input = RecurrentTestSupport.Doubles([1, 2, 3, 100, 10, 100, 100, 100], [2, 4, 1]);
        RecurrentOutput output = layer.Forward(input, RecurrentTestSupport.Longs(3, 1));
        CollectionAssert.AreEqual(
            new double[] { 1, 6, 3, 5, 6, 3, 0, 0, 10, 10, 0, 0, 0, 0, 0, 0 },
            RecurrentTestSupport.Values(output.Output),
            "forward: running sum; backward: sum from t to the row's end; zero past the end");
        CollectionAssert.AreEqual(new double[] { 6, 10, 6, 10 }, RecurrentTestSupport.Values(output.FinalHidden), "final states [D, B, 1]");
        Assert.IsNull(output.FinalCell);
    }

    [TestMethod]
    public void ArgumentsAreChecked()
    {
        using var scope = torch.NewDisposeScope();
        var cell = new GruCell(2, 3);
        Assert.ThrowsExactly<ArgumentException>(() => new StepRecurrentLayer(cell, cell));
        Assert.ThrowsExactly<ArgumentException>(() => new StepRecurrentLayer(new GruCell(2, 3), new GruCell(2, 4)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LstmCell(0, 3));
        Assert.ThrowsExactly<ArgumentException>(() => cell.Step(torch.zeros(2, 3), [torch.zeros(2, 3)]));
        Assert.ThrowsExactly<ArgumentException>(() => cell.Step(torch.zeros(2, 2), [torch.zeros(2, 4)]));
        using var layer = new StepRecurrentLayer(cell);
        var error = Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(torch.zeros(2, 3, 2), RecurrentTestSupport.Longs(3, 0)));
        StringAssert.Contains(error.Message, "row 1");
        Assert.ThrowsExactly<ArgumentException>(() => layer.Forward(torch.zeros(2, 3, 2), null, [torch.zeros(2, 2, 3)]));
    }

    /// <summary>h' = h + x: no parameters, not a module.</summary>
    private sealed class RunningSumCell : IRecurrentCell
    {
        public int InputSize => 1;

        public IReadOnlyList<int> StateSizes { get; } = [1];

        public IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state) => [state[0] + input];
    }
}
