using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A stacked, optionally bidirectional long short-term memory layer over batch-first sequences, run by
/// TorchSharp's native <c>nn.LSTM</c> (one module per layer) (or by <see cref="LstmCell"/> per step).</summary>
/// <remarks>
/// <para><b>Equations</b> for each step t of each layer and direction, gates in the order i, f, g, o:</para>
/// <code>
/// i = σ(W_ii x_t + b_ii + W_hi h_(t−1) + b_hi)
/// f = σ(W_if x_t + b_if + W_hf h_(t−1) + b_hf)
/// g = tanh(W_ig x_t + b_ig + W_hg h_(t−1) + b_hg)
/// o = σ(W_io x_t + b_io + W_ho h_(t−1) + b_ho)
/// c_t = f ⊙ c_(t−1) + i ⊙ g
/// h_t = o ⊙ tanh(c_t)
/// </code>
/// <para><b>Parameters</b> (see <see cref="RecurrentBase"/>): <c>weight_ih_l{k}</c> [4H, in_k] holds W_ii, W_if, W_ig,
/// W_io stacked by rows; <c>weight_hh_l{k}</c> [4H, H]; <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> [4H]. The second bias
/// is redundant; PyTorch and cuDNN keep it, so the state dictionary loads in Python unchanged.</para>
/// <para><b>Initialisation</b> (default <see cref="RecurrentInitialization.Orthogonal"/>): each [H, H] block of
/// <c>weight_hh</c> orthogonal, <c>weight_ih</c> Glorot-uniform, biases zero except the forget block (rows H…2H−1) of
/// <c>bias_ih</c>, which holds <see cref="RecurrentLayerOptions.ForgetBias"/> (default 1), so the cell state is kept
/// by default until the gates learn otherwise.</para>
/// <para><b>Final states</b>: <see cref="RecurrentOutput.FinalHidden"/> and <see cref="RecurrentOutput.FinalCell"/>
/// are [L·D, B, H]; for the backward direction they are the states at step 0, after reading the row from its end.</para>
/// </remarks>
public sealed class Lstm : RecurrentBase
{
    /// <summary>Creates the layer from options.</summary>
    /// <param name="options">Settings (see <see cref="RecurrentLayerOptions"/>); copied.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public Lstm(RecurrentLayerOptions options, Generator? generator = null)
        : base(options, RecurrentMode.Lstm, generator)
    {
    }

    /// <summary>Creates the layer with the default settings for everything not listed.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of the hidden state (H), at least 1.</param>
    /// <param name="layers">Number of stacked layers (L), from 1 to 64. Default: 1.</param>
    /// <param name="bidirectional">Add a backward direction (D = 2). Default: false.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public Lstm(int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false, Generator? generator = null)
        : this(new RecurrentLayerOptions { InputSize = inputSize, HiddenSize = hiddenSize, LayerCount = layers, Bidirectional = bidirectional },
            generator)
    {
    }
}
