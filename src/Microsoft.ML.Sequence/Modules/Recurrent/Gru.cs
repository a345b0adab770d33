using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A stacked, optionally bidirectional gated recurrent unit layer over batch-first sequences, run by
/// TorchSharp's native <c>nn.GRU</c> (one module per layer) (or by <see cref="GruCell"/> per step).</summary>
/// <remarks>
/// <para><b>Equations</b> (libtorch's form, the reset gate applied after the recurrent product), gates r, z, n:</para>
/// <code>
/// r = σ(W_ir x_t + b_ir + W_hr h_(t−1) + b_hr)
/// z = σ(W_iz x_t + b_iz + W_hz h_(t−1) + b_hz)
/// n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_(t−1) + b_hn))
/// h_t = (1 − z) ⊙ n + z ⊙ h_(t−1)
/// </code>
/// <para><b>Parameters</b> (see <see cref="RecurrentBase"/>): <c>weight_ih_l{k}</c> [3H, in_k] (W_ir, W_iz, W_in
/// stacked), <c>weight_hh_l{k}</c> [3H, H], <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> [3H]. Here b_hn is not redundant:
/// it sits inside the reset gate's product.</para>
/// <para><b>Initialisation</b> (default <see cref="RecurrentInitialization.Orthogonal"/>): each [H, H] block of
/// <c>weight_hh</c> orthogonal, <c>weight_ih</c> Glorot-uniform, biases zero.</para>
/// <para><b>Final states</b>: <see cref="RecurrentOutput.FinalHidden"/> [L·D, B, H]; for the backward direction the
/// state at step 0, after reading the row from its end. <see cref="RecurrentOutput.FinalCell"/> is null.</para>
/// </remarks>
public sealed class Gru : RecurrentBase
{
    /// <summary>Creates the layer from options.</summary>
    /// <param name="options">Settings (see <see cref="RecurrentLayerOptions"/>); copied.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public Gru(RecurrentLayerOptions options, Generator? generator = null)
        : base(options, RecurrentMode.Gru, generator)
    {
    }

    /// <summary>Creates the layer with the default settings for everything not listed.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of the hidden state (H), at least 1.</param>
    /// <param name="layers">Number of stacked layers (L), from 1 to 64. Default: 1.</param>
    /// <param name="bidirectional">Add a backward direction (D = 2). Default: false.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public Gru(int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false, Generator? generator = null)
        : this(new RecurrentLayerOptions { InputSize = inputSize, HiddenSize = hiddenSize, LayerCount = layers, Bidirectional = bidirectional },
            generator)
    {
    }
}
