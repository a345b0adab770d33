using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Gradient checks of <see cref="RecurrentKernels.Run"/> with respect to the input, the initial state(s)
/// and every weight, for every mode, padded and packed.</summary>
[TestClass]
public sealed class RecurrentGradientTests
{
    [TestMethod]
    [DataRow(RecurrentMode.Lstm, 1, false, false)]
    [DataRow(RecurrentMode.Lstm, 2, true, false)]
    [DataRow(RecurrentMode.Lstm, 2, true, true)]
    [DataRow(RecurrentMode.Gru, 1, false, false)]
    [DataRow(RecurrentMode.Gru, 2, true, false)]
    [DataRow(RecurrentMode.Gru, 2, true, true)]
    [DataRow(RecurrentMode.RnnTanh, 1, false, false)]
    [DataRow(RecurrentMode.RnnTanh, 2, true, false)]
    [DataRow(RecurrentMode.RnnTanh, 2, true, true)]
    [DataRow(RecurrentMode.RnnRelu, 1, false, false)]
    [DataRow(RecurrentMode.RnnRelu, 2, true, false)]
    [DataRow(RecurrentMode.RnnRelu, 2, true, true)]
    public void RunWithRespectToInputStateAndWeights(RecurrentMode mode, int layers, bool bidirectional, bool packed)
    {
        var c = new RecurrentCase(mode, batch: 2, steps: 3, features: 2, hidden: 2, layers, bidirectional, seed: 500);
        bool lstm = mode == RecurrentMode.Lstm;
        var inputs = new List<GradientInput>
        {
            GradientInput.Of(c.Input, c.InputShape),
            GradientInput.Of(c.InitialHidden, c.StateShape),
        };
        if (lstm)
        {
            inputs.Add(GradientInput.Of(c.InitialCell!, c.StateShape));
        }

        int firstWeight = inputs.Count;
        inputs.AddRange(c.Weights.Select(w => GradientInput.Of(w.Data, w.Shape)));

        GradientChecker.Check($"{c} {(packed ? "packed [3, 2]" : "padded")}", x =>
        {
            Tensor input = x[0];
            Tensor? batchSizes = null;
            if (packed)
            {
                PackedSequenceData data = RecurrentKernels.PackPadded(x[0], Tensor.From<long>([3, 2]));
                input = data.Data;
                batchSizes = data.BatchSizes;
            }

            RecurrentKernelOutput result = RecurrentKernels.Run(mode, input, x[firstWeight..], layers, bidirectional,
                batchSizes: batchSizes, initialHidden: x[1], initialCell: lstm ? x[2] : null);
            var parts = new List<Tensor> { result.Output.Reshape(-1), result.FinalHidden.Reshape(-1) };
            if (result.FinalCell is not null)
            {
                parts.Add(result.FinalCell.Reshape(-1));
            }

            return Tensor.Cat(parts);
        }, inputs.ToArray());
    }
}
