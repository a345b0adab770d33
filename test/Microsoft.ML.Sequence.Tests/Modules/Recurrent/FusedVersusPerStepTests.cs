using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// The explicit per-step cells against the fused kernels on identical float64 weights at 1e-10: RNN-tanh, RNN-ReLU,
/// LSTM, GRU; 1 and 2 layers; uni- and bidirectional; uneven, unsorted lengths with injected initial states. The three
/// execution paths (fused packed, fused masked, per step) must agree with the scalar reference of the equations, and
/// their gradients (inputs, initial states, every weight) with each other.
/// </summary>
[TestClass]
public sealed class FusedVersusPerStepTests
{
    private const double Tolerance = 1e-10;

    public static IEnumerable<object[]> Configurations()
    {
        foreach (RecurrentMode mode in new[] { RecurrentMode.RnnTanh, RecurrentMode.RnnRelu, RecurrentMode.Lstm, RecurrentMode.Gru })
        {
            foreach (int layers in new[] { 1, 2 })
            {
                yield return [mode, layers, false];
                yield return [mode, layers, true];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void PerStepMatchesFusedAndTheReference(RecurrentMode mode, int layers, bool bidirectional)
    {
        int[] lengths = [4, 1, 5, 2];
        var c = new RecurrentCase(mode, batch: 4, steps: 5, features: 3, hidden: 3, layers, bidirectional, seed: 700);
        var (expected, expectedHidden, expectedCell) = c.Reference(lengths);
        var paths = new (RecurrentKernel Kernel, VariableLengthStrategy Lengths)[]
        {
            (RecurrentKernel.Fused, VariableLengthStrategy.Packed),
            (RecurrentKernel.Fused, VariableLengthStrategy.Masked),
            (RecurrentKernel.PerStep, VariableLengthStrategy.Auto),
        };

        List<double[]>? firstGradients = null;
        foreach ((RecurrentKernel kernel, VariableLengthStrategy strategy) in paths)
        {
            string what = $"{c} {kernel}/{strategy}";
            using var scope = torch.NewDisposeScope();
            using RecurrentBase layer = RecurrentTestSupport.Create(mode,
                RecurrentTestSupport.Options(mode, 3, 3, layers, bidirectional, kernel, strategy));
            RecurrentTestSupport.Load(layer, c);
            Tensor input = RecurrentTestSupport.Doubles(c.Input, c.InputShape);
            Tensor h0 = RecurrentTestSupport.Doubles(c.InitialHidden, c.StateShape);
            Tensor? c0 = c.InitialCell is null ? null : RecurrentTestSupport.Doubles(c.InitialCell, c.StateShape);
            foreach (Tensor leaf in new[] { input, h0, c0 }.OfType<Tensor>())
            {
                leaf.requires_grad = true;
            }

            RecurrentOutput output = layer.Forward(input, torch.tensor(lengths.Select(l => (long)l).ToArray()), h0, c0);
            RecurrentTestSupport.AssertClose(expected, output.Output, Tolerance, $"{what}: output");
            RecurrentTestSupport.AssertClose(expectedHidden, output.FinalHidden, Tolerance, $"{what}: final hidden");
            if (mode == RecurrentMode.Lstm)
            {
                RecurrentTestSupport.AssertClose(expectedCell!, output.FinalCell!, Tolerance, $"{what}: final cell");
            }

            // A loss that weighs every output and final-state element differently.
            Tensor loss = (output.Output * Weights(output.Output)).sum() + (output.FinalHidden * Weights(output.FinalHidden)).sum();
            if (output.FinalCell is not null)
            {
                loss = loss + (output.FinalCell * Weights(output.FinalCell)).sum();
            }

            loss.backward();
            var gradients = new List<double[]> { Grad(input), Grad(h0) };
            if (c0 is not null)
            {
                gradients.Add(Grad(c0));
            }

            gradients.AddRange(layer.parameters().Select(p => RecurrentTestSupport.Values(p.grad!)));
            if (firstGradients is null)
            {
                firstGradients = gradients;
                continue;
            }

            for (int i = 0; i < gradients.Count; i++)
            {
                RecurrentTestSupport.AssertClose(firstGradients[i], gradients[i], Tolerance, $"{what}: gradient {i} vs fused packed");
            }
        }
    }

    private static double[] Grad(Tensor leaf) => RecurrentTestSupport.Values(leaf.grad!);

    private static Tensor Weights(Tensor like) =>
        RecurrentTestSupport.Doubles(RandomValues.Uniform(31, like.shape, 0.5, 1.5), like.shape);
}
