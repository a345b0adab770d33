namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Which implementation computes the fused path of an <see cref="Lstm"/> or <see cref="Gru"/> layer
/// (<see cref="RecurrentLayerOptions.Backend"/>).</summary>
/// <remarks>
/// <para><b>TorchSharp</b>: the native modules <c>nn.LSTM</c> / <c>nn.GRU</c> (libtorch's whole-sequence kernels,
/// oneDNN on the CPU, cuDNN on CUDA). On the CPU, autograd through them forms a [G·H, H] weight gradient at every
/// step and adds them up.</para>
/// <para><b>SequenceGemm</b>: our kernel (a TorchSharp custom autograd function): the same forward computation with the
/// step loop in C#, over the batch packed once (rows sorted by length, the active rows shrinking), and a backward pass
/// that forms each weight gradient with one matrix product over all steps (dW_hh = Σ dGatesᵀ h_prev). Same values and
/// gradients as <c>TorchSharp</c> up to rounding. LSTM and GRU only; no double backward.</para>
/// </remarks>
public enum RecurrentBackend
{
    /// <summary>Whichever our timing showed faster for the case (docs/recurrent-layers.md, "Backend"): on the CPU,
    /// <see cref="SequenceGemm"/> for LSTM and GRU layers being trained (a graph is recorded) over batches of mixed
    /// lengths, and <see cref="TorchSharp"/> otherwise (inference, equal lengths, Elman RNNs, CUDA, masked variable
    /// lengths, per-step kernel).</summary>
    Auto = 0,

    /// <summary>TorchSharp's native modules, always.</summary>
    TorchSharp = 1,

    /// <summary>Our sequence-GEMM kernel for every fused run of an LSTM or GRU layer (dense or variable-length). Throws
    /// <see cref="NotSupportedException"/> on an <see cref="ElmanRnn"/>; cannot be combined with
    /// <see cref="RecurrentKernel.PerStep"/> or <see cref="VariableLengthStrategy.Masked"/>.</summary>
    SequenceGemm = 2,
}
