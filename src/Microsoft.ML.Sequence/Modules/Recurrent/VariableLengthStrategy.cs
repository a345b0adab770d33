namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>How a recurrent layer runs a padded batch whose rows have different lengths on the fused kernel.</summary>
/// <remarks>
/// <para>Both strategies give the same results as running each row alone: outputs past a row's end are zero, the
/// forward direction's final state is the state after the row's last valid step, and the backward direction's final
/// state is the state after it has read the row from its true last step back to step 0.</para>
/// <para><b>Packed</b>: <c>torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first: true,
/// enforce_sorted: false)</c>, the native module's packed call (one per layer; the packed batch goes straight on to
/// the next layer unless residual connections or dropout sit between layers), <c>pad_packed_sequence</c>. libtorch
/// sorts the rows and puts outputs and final states back in the caller's row order. The kernel processes only
/// Σ lengths row-steps.</para>
/// <para><b>Masked</b>: each layer runs over the whole padded batch. The backward direction must start at each row's
/// true last step, so a bidirectional layer runs once over 2B rows: the rows as given (their forward half is kept)
/// and the rows reversed within their lengths and flipped, that is right-aligned (their backward half is kept).
/// Outputs past each row's end are set to zero and final hidden states are read at each row's last valid step. For the
/// LSTM the kernel returns the cell state only at the last padded step, so the cell state at each row's last step is
/// recomputed from the gate pre-activations (one batched product over all steps, then an element-wise scan). The
/// kernel processes B × T row-steps (2B × T for a bidirectional layer, half of it discarded).</para>
/// <para><b>Auto</b> picks <see cref="Packed"/>, which skips the padding's row-steps; on the former C++ kernel packed
/// was the faster one on the <c>mixed-length</c> benchmark, and the benchmark re-measures both strategies on the
/// TorchSharp modules (docs/recurrent-layers.md). The per-step kernel always masks: it stops updating a row's state
/// past its end.</para>
/// </remarks>
public enum VariableLengthStrategy
{
    /// <summary><see cref="Packed"/> (it skips the padding; see remarks).</summary>
    Auto = 0,

    /// <summary>Sort, pack, run, pad, restore the caller's order.</summary>
    Packed = 1,

    /// <summary>Run padded per direction with reversal by length, then zero the padding and read final states at
    /// each row's end.</summary>
    Masked = 2,
}
