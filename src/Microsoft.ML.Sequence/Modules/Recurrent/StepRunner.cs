using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Runs a cell over time, one direction: the input is already in the direction's order (reversed within each
/// row's length for the backward direction). Rows stop updating their state past their length.</summary>
internal static class StepRunner
{
    /// <summary>Returns the outputs [B, T, H] (zero past each row's end) and the state after each row's last step.</summary>
    public static (Tensor Output, IReadOnlyList<Tensor> Final) Run(IRecurrentCell cell, Tensor input, SequenceLengths lengths,
        IReadOnlyList<Tensor> initial)
    {
        IReadOnlyList<Tensor> state = initial;
        var outputs = new Tensor[lengths.Steps];
        for (long t = 0; t < lengths.Steps; t++)
        {
            IReadOnlyList<Tensor> next = cell.Step(input.select(1, t), state);
            if (t == 0)
            {
                Check(cell, next, state);
            }

            if (t < lengths.MinLength)
            {
                state = next;
                outputs[t] = next[0];
            }
            else
            {
                Tensor running = lengths.StepMask(t);
                state = next.Select((value, k) => torch.where(running, value, state[k])).ToArray();
                outputs[t] = next[0].masked_fill(running.logical_not(), 0);
            }
        }

        return (torch.stack(outputs, 1), state);
    }

    private static void Check(IRecurrentCell cell, IReadOnlyList<Tensor> next, IReadOnlyList<Tensor> state)
    {
        if (next.Count != state.Count)
        {
            throw new InvalidOperationException(
                $"{cell.GetType().Name}.Step returned {next.Count} state tensors; its StateSizes has {state.Count}.");
        }

        for (int k = 0; k < next.Count; k++)
        {
            if (!next[k].shape.SequenceEqual(state[k].shape))
            {
                throw new InvalidOperationException(
                    $"{cell.GetType().Name}.Step returned state {k} as [{string.Join(", ", next[k].shape)}]; expected [{string.Join(", ", state[k].shape)}].");
            }
        }
    }
}
