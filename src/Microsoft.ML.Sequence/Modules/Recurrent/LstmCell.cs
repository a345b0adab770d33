using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One LSTM step computed with two matrix products and element-wise activations (never the fused kernel):
/// the per-step counterpart of <see cref="Lstm"/>, and a base to copy for custom cells.</summary>
/// <remarks>
/// <para><b>Equations</b>, gates i, f, g, o: [i; f; g; o] = W_ih x + b_ih + W_hh h + b_hh; i, f, o through σ, g
/// through tanh; c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'). State [h, c], both [B, H].</para>
/// <para><b>Parameters</b> (PyTorch's <c>nn.LSTMCell</c> names): <c>weight_ih</c> [4H, F], <c>weight_hh</c> [4H, H],
/// <c>bias_ih</c>, <c>bias_hh</c> [4H]. <b>Initialisation</b> as <see cref="Lstm"/> (orthogonal recurrent blocks,
/// Glorot input weights, forget bias in <c>bias_ih</c>).</para>
/// </remarks>
public sealed class LstmCell : nn.Module, IRecurrentCell
{
    // Named so that TorchSharp's to(…) updates these fields when it replaces a parameter.
    [ComponentName(Name = "weight_ih")]
    private Parameter _weightIh;

    [ComponentName(Name = "weight_hh")]
    private Parameter _weightHh;

    [ComponentName(Name = "bias_ih")]
    private Parameter? _biasIh;

    [ComponentName(Name = "bias_hh")]
    private Parameter? _biasHh;

    /// <summary>Creates the cell.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of h and c (H), at least 1.</param>
    /// <param name="hasBiases">Include b_ih and b_hh. Default: true.</param>
    /// <param name="initialization">Initialisation scheme. Default: <see cref="RecurrentInitialization.Orthogonal"/>.</param>
    /// <param name="forgetBias">Initial forget-gate bias (not used by <see cref="RecurrentInitialization.PyTorchUniform"/>).
    /// Default: 1.</param>
    /// <param name="generator">Source of initial values; null uses libtorch's global generator. Default: null.</param>
    public LstmCell(int inputSize, int hiddenSize, bool hasBiases = true,
        RecurrentInitialization initialization = RecurrentInitialization.Orthogonal, double forgetBias = 1, Generator? generator = null)
        : base(nameof(LstmCell))
    {
        CellArguments.Check(inputSize, hiddenSize, initialization);
        InputSize = inputSize;
        StateSizes = [hiddenSize, hiddenSize];
        using (torch.NewDisposeScope())
        {
            _weightIh = Register("weight_ih", RecurrentInitializer.InputWeight(initialization, 4, hiddenSize, inputSize, generator));
            _weightHh = Register("weight_hh", RecurrentInitializer.RecurrentWeight(initialization, 4, hiddenSize, generator));
            if (hasBiases)
            {
                _biasIh = Register("bias_ih", RecurrentInitializer.Bias(initialization, RecurrentMode.Lstm, hiddenSize, true, forgetBias, generator));
                _biasHh = Register("bias_hh", RecurrentInitializer.Bias(initialization, RecurrentMode.Lstm, hiddenSize, false, forgetBias, generator));
            }
        }
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <summary>[H, H]: the hidden state h, then the cell state c.</summary>
    public IReadOnlyList<int> StateSizes { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state)
    {
        CellArguments.CheckStep(this, input, state);
        return CellMath.Lstm(input, state[0], state[1], _weightIh, _weightHh, _biasIh, _biasHh);
    }

    private Parameter Register(string name, Tensor initial)
    {
        // The parameter takes over the initial tensor's handle and must outlive the caller's dispose scope.
        var parameter = new Parameter(initial);
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return parameter;
    }
}
