using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A stacked, optionally bidirectional Elman (vanilla) RNN layer with tanh or ReLU over batch-first
/// sequences, run by TorchSharp's native <c>nn.RNN</c> with tanh or ReLU (one module per layer) (or by <see cref="ElmanCell"/> per
/// step).</summary>
/// <remarks>
/// <para><b>Equation</b> (one gate block), act = tanh or relu (<see cref="RecurrentLayerOptions.Nonlinearity"/>):</para>
/// <code>
/// h_t = act(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh)
/// </code>
/// <para><b>Parameters</b> (see <see cref="RecurrentBase"/>): <c>weight_ih_l{k}</c> [H, in_k], <c>weight_hh_l{k}</c>
/// [H, H], <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> [H] — PyTorch's <c>nn.RNN</c> names.</para>
/// <para><b>Initialisation</b> (default <see cref="RecurrentInitialization.Orthogonal"/>): <c>weight_hh</c>
/// orthogonal, <c>weight_ih</c> Glorot-uniform, biases zero. For a ReLU RNN choose
/// <see cref="RecurrentInitialization.Identity"/> (<c>weight_hh</c> = I, Le et al. 2015).</para>
/// <para><b>Final states</b>: <see cref="RecurrentOutput.FinalHidden"/> [L·D, B, H]; for the backward direction the
/// state at step 0, after reading the row from its end. <see cref="RecurrentOutput.FinalCell"/> is null.</para>
/// </remarks>
public sealed class ElmanRnn : RecurrentBase
{
    /// <summary>Creates the layer from options (<see cref="RecurrentLayerOptions.Nonlinearity"/> picks tanh or
    /// ReLU).</summary>
    /// <param name="options">Settings (see <see cref="RecurrentLayerOptions"/>); copied.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public ElmanRnn(RecurrentLayerOptions options, Generator? generator = null)
        : base(options, ModeOf(options), generator)
    {
    }

    /// <summary>Creates the layer with the default settings for everything not listed.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of the hidden state (H), at least 1.</param>
    /// <param name="layers">Number of stacked layers (L), from 1 to 64. Default: 1.</param>
    /// <param name="bidirectional">Add a backward direction (D = 2). Default: false.</param>
    /// <param name="nonlinearity">Activation. Default: <see cref="ElmanNonlinearity.Tanh"/>.</param>
    /// <param name="generator">Source of initial values and dropout masks; null uses libtorch's global generator.
    /// Default: null.</param>
    public ElmanRnn(int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false,
        ElmanNonlinearity nonlinearity = ElmanNonlinearity.Tanh, Generator? generator = null)
        : this(new RecurrentLayerOptions
        {
            InputSize = inputSize, HiddenSize = hiddenSize, LayerCount = layers, Bidirectional = bidirectional, Nonlinearity = nonlinearity,
        }, generator)
    {
    }

    /// <summary>The activation.</summary>
    public ElmanNonlinearity Nonlinearity => Mode == RecurrentMode.RnnRelu ? ElmanNonlinearity.Relu : ElmanNonlinearity.Tanh;

    private static RecurrentMode ModeOf(RecurrentLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Nonlinearity switch
        {
            ElmanNonlinearity.Tanh => RecurrentMode.RnnTanh,
            ElmanNonlinearity.Relu => RecurrentMode.RnnRelu,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Nonlinearity,
                $"Nonlinearity must be Tanh or Relu; got {options.Nonlinearity}."),
        };
    }
}
