namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>How a recurrent layer runs a padded batch whose rows have different lengths on the fused kernel.</summary>
/// <remarks>
/// <para>Both strategies give the same results as running each row alone: outputs past a row's end are zero, the
/// forward direction's final state is the state after the row's last valid step, and the backward direction's final
/// state is the state after it has read the row from its true last step back to step 0.</para>
/// <para><b>Packed</b>: rows are sorted by descending length (a stable sort), packed
/// (<c>_pack_padded_sequence</c>), run in one kernel call per layer stack, padded again, and outputs and final
/// states are put back in the caller's row order. The kernel processes only Σ lengths row-steps.</para>
/// <para><b>Masked</b>: each layer and direction runs over the whole padded batch. The backward direction runs on
/// each row reversed within its own length (so it starts at the row's true last step), and its output is reversed
/// back. Outputs past each row's end are set to zero and final hidden states are read at each row's last valid step.
/// For the LSTM the kernel returns the cell state only at the last padded step, so the cell state at each row's last
/// step is recomputed from the gate pre-activations (one batched product over all steps, then an element-wise scan).
/// The kernel processes B × T row-steps, with two kernel calls per layer.</para>
/// <para><b>Auto</b> picks <see cref="Packed"/>: measured on the <c>mixed-length</c> benchmark (20 batches of 64
/// SST-2 sentence lengths, BiLSTM 128 → 256, forward and backward) it is faster than <see cref="Masked"/>, because
/// it skips the padding's row-steps and needs one kernel call instead of two: 1.31 s packed (sorting, packing and
/// un-sorting included) against 2.49 s masked and 1.84 s padded without lengths, on 2 CPU cores
/// (docs/recurrent-layers.md has the table). The per-step kernel always masks: it stops updating a row's state past
/// its end.</para>
/// </remarks>
public enum VariableLengthStrategy
{
    /// <summary><see cref="Packed"/> (the faster one; see remarks).</summary>
    Auto = 0,

    /// <summary>Sort, pack, run, pad, restore the caller's order.</summary>
    Packed = 1,

    /// <summary>Run padded per direction with reversal by length, then zero the padding and read final states at
    /// each row's end.</summary>
    Masked = 2,
}
