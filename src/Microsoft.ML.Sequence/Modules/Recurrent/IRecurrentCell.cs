using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// One time step of a recurrence, run over whole sequences by <see cref="StepRecurrentLayer"/>. Implement it to write
/// your own cell.
/// </summary>
/// <remarks>
/// <para><b>Contract.</b></para>
/// <list type="bullet">
/// <item><description>The state is a list of tensors, one per entry of <see cref="StateSizes"/>, each [B,
/// StateSizes[k]]. Entry 0 is the hidden state h: it is the cell's output at that step. An LSTM has [h, c]; a GRU or
/// an Elman RNN has [h].</description></item>
/// <item><description><see cref="Step"/> takes the input of one step [B, <see cref="InputSize"/>] and the previous
/// state, and returns the new state in the same order, with the same shapes, dtype and device. It must not change its
/// arguments in place: the layer keeps the previous state to freeze rows that have ended, and autograd needs it.</description></item>
/// <item><description>A cell owns its parameters: implement it as a TorchSharp <see cref="nn.Module"/> that registers them, and the
/// layer registers the cell as a child (named <c>cell</c>, and <c>cell_reverse</c> for the backward direction), so
/// parameters, device moves and state dictionaries work through the layer.</description></item>
/// <item><description>A cell knows nothing of lengths, padding or direction: the layer feeds each row its valid steps
/// in order (reversed within its length for the backward direction) and stops updating a row's state past its
/// end.</description></item>
/// </list>
/// </remarks>
public interface IRecurrentCell
{
    /// <summary>Width of each input step.</summary>
    int InputSize { get; }

    /// <summary>Width of each state tensor, the hidden state h (the output) first. At least one entry.</summary>
    IReadOnlyList<int> StateSizes { get; }

    /// <summary>Computes the state after one step.</summary>
    /// <param name="input">[B, <see cref="InputSize"/>].</param>
    /// <param name="state">The previous state: one [B, StateSizes[k]] tensor per entry of <see cref="StateSizes"/>.</param>
    /// <returns>The new state, same count and shapes as <paramref name="state"/>; entry 0 is the output.</returns>
    IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state);
}
