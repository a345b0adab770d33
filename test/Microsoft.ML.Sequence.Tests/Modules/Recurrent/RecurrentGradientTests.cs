using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Gradient checks of the fused kernel (the native modules behind <see cref="RecurrentBase"/>) with respect
/// to the input, the initial state(s) and every weight, for every mode, padded and packed, by central finite
/// differences in float64.</summary>
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
    public void ForwardWithRespectToInputStateAndWeights(RecurrentMode mode, int layers, bool bidirectional, bool packed)
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

        using RecurrentBase layer = RecurrentTestSupport.Create(mode, RecurrentTestSupport.Options(mode, 2, 2, layers, bidirectional,
            RecurrentKernel.Fused, VariableLengthStrategy.Packed));
        RecurrentTestSupport.Load(layer, c);
        Parameter[] weights = layer.parameters().ToArray();
        Assert.HasCount(c.Weights.Count, weights);

        GradientChecker.Check($"{c} {(packed ? "packed [3, 2]" : "padded")}", x =>
        {
            RecurrentOutput result = layer.Forward(x[0], packed ? torch.tensor(new long[] { 3, 2 }) : null, x[1], lstm ? x[2] : null);
            var parts = new List<Tensor> { result.Output.reshape(-1), result.FinalHidden.reshape(-1) };
            if (result.FinalCell is not null)
            {
                parts.Add(result.FinalCell.reshape(-1));
            }

            return torch.cat(parts, 0);
        }, weights, inputs.ToArray());
    }
}
