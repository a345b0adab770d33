using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// Runs any <see cref="IRecurrentCell"/> over batch-first sequences, one step at a time, in one or two directions:
/// the home of cells the fused kernels cannot express (and of your own cells). Slower than the fused kernels: each
/// step costs a handful of native calls.
/// </summary>
/// <remarks>
/// <para><b>Lengths.</b> With lengths, a row's state stops updating after its last valid step and its outputs past
/// the end are zero, so a padded batch gives the same results as each row alone. The backward direction runs on each
/// row reversed within its own length (it starts at the row's true last step), and its outputs are reversed back.</para>
/// <para><b>Final states</b> are [D, B, size] per state entry, forward before backward: <see cref="RecurrentOutput.FinalHidden"/>
/// is state entry 0, <see cref="RecurrentOutput.FinalCell"/> entry 1 when the cell has one (null otherwise).</para>
/// <para>The layer registers each cell that is a TorchSharp <see cref="nn.Module"/> as a child named <c>cell</c> (and
/// <c>cell_reverse</c>), so it owns and disposes them.</para>
/// </remarks>
public sealed class StepRecurrentLayer : nn.Module<Tensor, Tensor>
{
    private readonly IRecurrentCell[] _cells;
    private readonly BidirectionalMerge _merge;

    /// <summary>Creates the layer.</summary>
    /// <param name="cell">The forward direction's cell.</param>
    /// <param name="reverseCell">The backward direction's cell (a different instance with the same input and state
    /// sizes), or null for a unidirectional layer. Default: null.</param>
    /// <param name="merge">How a bidirectional layer combines its directions in the output. Default:
    /// <see cref="BidirectionalMerge.Concat"/>.</param>
    /// <exception cref="ArgumentException">The reverse cell is the same instance or its sizes differ, or a cell has
    /// no state.</exception>
    public StepRecurrentLayer(IRecurrentCell cell, IRecurrentCell? reverseCell = null, BidirectionalMerge merge = BidirectionalMerge.Concat)
        : base(nameof(StepRecurrentLayer))
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (!Enum.IsDefined(merge))
        {
            throw new ArgumentOutOfRangeException(nameof(merge), merge, $"merge must be Concat, Sum or Average; got {merge}.");
        }

        if (cell.StateSizes.Count == 0)
        {
            throw new ArgumentException($"{cell.GetType().Name}.StateSizes is empty: a cell needs at least the hidden state.", nameof(cell));
        }

        if (reverseCell is not null && (ReferenceEquals(reverseCell, cell) || reverseCell.InputSize != cell.InputSize
            || !reverseCell.StateSizes.SequenceEqual(cell.StateSizes)))
        {
            throw new ArgumentException("reverseCell must be a different cell instance with the same InputSize and StateSizes.", nameof(reverseCell));
        }

        _cells = reverseCell is null ? [cell] : [cell, reverseCell];
        _merge = merge;
        string[] names = ["cell", "cell_reverse"];
        for (int d = 0; d < _cells.Length; d++)
        {
            if (_cells[d] is nn.Module module)
            {
                register_module(names[d], module);
            }
        }
    }

    /// <summary>Width of each input step.</summary>
    public int InputSize => _cells[0].InputSize;

    /// <summary>Width of the hidden state (state entry 0) of each direction.</summary>
    public int HiddenSize => _cells[0].StateSizes[0];

    /// <summary>Whether a backward direction runs too.</summary>
    public bool IsBidirectional => _cells.Length == 2;

    /// <summary>Width of each output step: 2·H for a bidirectional layer with <see cref="BidirectionalMerge.Concat"/>,
    /// else H.</summary>
    public int OutputSize => IsBidirectional && _merge == BidirectionalMerge.Concat ? 2 * HiddenSize : HiddenSize;

    /// <summary>TorchSharp's entry point: the outputs of <see cref="Forward(Tensor, Tensor?, IReadOnlyList{Tensor}?)"/>
    /// with every row running all T steps from a zero state.</summary>
    /// <param name="input">[B, T, F] batch-first.</param>
    /// <returns>Outputs [B, T, <see cref="OutputSize"/>].</returns>
    public override Tensor forward(Tensor input) => Forward(input).Output;

    /// <summary>Runs the cells over a batch of sequences.</summary>
    /// <param name="input">[B, T, F] batch-first.</param>
    /// <param name="lengths">int64 (or int32) [B] valid steps per row, each in [1, T], in any order; null when every
    /// row runs all T steps. Default: null.</param>
    /// <param name="initialState">One tensor per state entry of the cell, each [D, B, size]; null for zeros.
    /// Default: null.</param>
    /// <returns>Outputs [B, T, OutputSize] (zero past each row's end) and final states (see remarks).</returns>
    /// <exception cref="ArgumentException">A shape does not match or a length is outside [1, T] (the message names the
    /// row).</exception>
    public RecurrentOutput Forward(Tensor input, Tensor? lengths = null, IReadOnlyList<Tensor>? initialState = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[2] != InputSize)
        {
            throw new ArgumentException($"StepRecurrentLayer expects input [batch, time, {InputSize}], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        long batch = input.shape[0], steps = input.shape[1];
        long[]? rowLengths = lengths is null ? null : SequenceLengths.Read(lengths, batch, steps);
        IReadOnlyList<int> sizes = _cells[0].StateSizes;
        CheckInitialState(initialState, sizes, batch);
        using var scope = torch.NewDisposeScope();
        long used = rowLengths is { Length: > 0 } ? rowLengths.Max() : steps;
        Tensor x = used < steps ? input.narrow(1, 0, used) : input;
        var info = new SequenceLengths(rowLengths, batch, used, input.device);
        var outputs = new Tensor[_cells.Length];
        var finals = new List<Tensor>[sizes.Count];
        for (int d = 0; d < _cells.Length; d++)
        {
            Tensor[] initial = sizes.Select((size, k) =>
                initialState?[k].select(0, d) ?? torch.zeros(batch, size, dtype: input.dtype, device: input.device)).ToArray();
            Tensor ordered = d == 1 ? info.Reverse(x) : x;
            (Tensor y, IReadOnlyList<Tensor> final) = StepRunner.Run(_cells[d], ordered, info, initial);
            outputs[d] = d == 1 ? info.Reverse(y) : y;
            for (int k = 0; k < sizes.Count; k++)
            {
                (finals[k] ??= new List<Tensor>()).Add(final[k]);
            }
        }

        Tensor output = outputs.Length == 2 ? Merge(outputs[0], outputs[1]) : outputs[0];
        if (used < steps)
        {
            output = torch.cat(new[] { output, torch.zeros(batch, steps - used, output.shape[2], dtype: output.dtype, device: output.device) }, 1);
        }

        Tensor hidden = torch.stack(finals[0], 0);
        Tensor? cell = sizes.Count > 1 ? torch.stack(finals[1], 0) : null;
        return new RecurrentOutput(output.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope(), cell?.MoveToOuterDisposeScope());
    }

    /// <summary>Runs the cells over a <see cref="SequenceBatch"/> (its values and lengths).</summary>
    /// <param name="batch">Padded values [B, T, F] and lengths.</param>
    /// <param name="initialState">One tensor per state entry, each [D, B, size]; null for zeros. Default: null.</param>
    /// <returns>Outputs and final states, rows in the batch's order.</returns>
    public RecurrentOutput Forward(SequenceBatch batch, IReadOnlyList<Tensor>? initialState = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Forward(batch.Values, batch.Lengths, initialState);
    }

    private Tensor Merge(Tensor forward, Tensor backward) => _merge switch
    {
        BidirectionalMerge.Sum => forward + backward,
        BidirectionalMerge.Average => (forward + backward) * 0.5,
        _ => torch.cat(new[] { forward, backward }, 2),
    };

    private void CheckInitialState(IReadOnlyList<Tensor>? initialState, IReadOnlyList<int> sizes, long batch)
    {
        if (initialState is null)
        {
            return;
        }

        if (initialState.Count != sizes.Count)
        {
            throw new ArgumentException($"initialState needs {sizes.Count} tensors (one per state entry), got {initialState.Count}.",
                nameof(initialState));
        }

        for (int k = 0; k < sizes.Count; k++)
        {
            long[] expected = [_cells.Length, batch, sizes[k]];
            if (!initialState[k].shape.SequenceEqual(expected))
            {
                throw new ArgumentException(
                    $"initialState[{k}] must be [{string.Join(", ", expected)}] (directions, batch, size), got [{string.Join(", ", initialState[k].shape)}].",
                    nameof(initialState));
            }
        }
    }
}
