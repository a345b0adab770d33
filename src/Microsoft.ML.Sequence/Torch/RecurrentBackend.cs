namespace Microsoft.ML.Sequence.Torch;

/// <summary>Which implementation computes a fused whole-sequence recurrent kernel.</summary>
public enum RecurrentBackend
{
    /// <summary><see cref="SequenceGemm"/> for LSTM on the CPU when the kernel has no dropout of its own; libtorch's
    /// kernel otherwise (GRU, RNN; CUDA, where cuDNN is faster; in-kernel dropout).</summary>
    Auto = 0,

    /// <summary>libtorch's <c>at::lstm</c>, <c>at::gru</c>, <c>at::rnn_tanh</c>, <c>at::rnn_relu</c>. On the CPU,
    /// autograd through it forms a [G·H, H] weight gradient at every time step and adds them up.</summary>
    LibTorch = 1,

    /// <summary>The shim's LSTM kernel (LSTM only): the same forward computation, and a backward pass that forms each
    /// weight gradient with one matrix product over all steps (dW_hh = dGatesᵀ · H_prev). Same results as
    /// <see cref="LibTorch"/> up to rounding; no in-kernel dropout and no double backward.</summary>
    SequenceGemm = 2,
}
