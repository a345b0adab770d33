namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Which implementation runs a recurrent layer over time.</summary>
/// <remarks>
/// <para><b>Fused</b>: TorchSharp's native modules <c>nn.LSTM</c>, <c>nn.GRU</c> and <c>nn.RNN</c> (tanh or ReLU),
/// which call libtorch's whole-sequence kernels: one native call per layer for all steps and both directions, the
/// input projections of every step computed in one product. The layer holds one such module per layer and registers
/// its parameter tensors under PyTorch's names.</para>
/// <para><b>Conditions for the fused path.</b> The cell must be one of the plain equations the kernels implement
/// (Elman tanh/ReLU, LSTM i-f-g-o, GRU with the reset gate applied after the recurrent product), with weights in the
/// native module's layout (PyTorch's), and the input must be float32 or float64 in the weights' dtype. Layer normalisation inside
/// the cell, variational (time-locked) recurrent dropout, zoneout, the GRU with the reset gate before the product and
/// user cells break these conditions: they run only per step (<see cref="StepRecurrentLayer"/>). Every configuration
/// of <see cref="Lstm"/>, <see cref="Gru"/> and <see cref="ElmanRnn"/> meets them, so on those layers
/// <see cref="Fused"/> throws only for an input whose dtype is not floating point.</para>
/// <para><b>PerStep</b>: the same equations written as one matrix product and a few activations per step
/// (<see cref="LstmCell"/>, <see cref="GruCell"/>, <see cref="ElmanCell"/>), on the same weights. It is several times
/// slower (one managed → native round trip per operation per step, about 3 µs each) and exists to check the fused kernel and to carry
/// cells the kernel cannot express.</para>
/// </remarks>
public enum RecurrentKernel
{
    /// <summary>The fused kernel (every configuration of the built-in layers can use it).</summary>
    Auto = 0,

    /// <summary>The fused kernel; throws <see cref="NotSupportedException"/> with the reason when it cannot run.</summary>
    Fused = 1,

    /// <summary>Explicit per-step cells (slower; see remarks).</summary>
    PerStep = 2,
}
