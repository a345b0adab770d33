using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One Elman RNN step, h' = act(W_ih x + b_ih + W_hh h + b_hh) with act = tanh or relu, computed with two
/// matrix products (never the fused kernel): the per-step counterpart of <see cref="ElmanRnn"/>.</summary>
/// <remarks>
/// <para><b>Parameters</b> (PyTorch's <c>nn.RNNCell</c> names): <c>weight_ih</c> [H, F], <c>weight_hh</c> [H, H],
/// <c>bias_ih</c>, <c>bias_hh</c> [H]. State [h], [B, H]. <b>Initialisation</b> as <see cref="ElmanRnn"/>.</para>
/// </remarks>
public sealed class ElmanCell : nn.Module, IRecurrentCell
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
    /// <param name="hiddenSize">Width of h (H), at least 1.</param>
    /// <param name="nonlinearity">Activation. Default: <see cref="ElmanNonlinearity.Tanh"/>.</param>
    /// <param name="hasBiases">Include b_ih and b_hh. Default: true.</param>
    /// <param name="initialization">Initialisation scheme. Default: <see cref="RecurrentInitialization.Orthogonal"/>.</param>
    /// <param name="generator">Source of initial values; null uses libtorch's global generator. Default: null.</param>
    public ElmanCell(int inputSize, int hiddenSize, ElmanNonlinearity nonlinearity = ElmanNonlinearity.Tanh, bool hasBiases = true,
        RecurrentInitialization initialization = RecurrentInitialization.Orthogonal, Generator? generator = null)
        : base(nameof(ElmanCell))
    {
        CellArguments.Check(inputSize, hiddenSize, initialization);
        if (!Enum.IsDefined(nonlinearity))
        {
            throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, $"nonlinearity must be Tanh or Relu; got {nonlinearity}.");
        }

        InputSize = inputSize;
        Nonlinearity = nonlinearity;
        StateSizes = [hiddenSize];
        RecurrentMode mode = nonlinearity == ElmanNonlinearity.Relu ? RecurrentMode.RnnRelu : RecurrentMode.RnnTanh;
        using (torch.NewDisposeScope())
        {
            _weightIh = Register("weight_ih", RecurrentInitializer.InputWeight(initialization, 1, hiddenSize, inputSize, generator));
            _weightHh = Register("weight_hh", RecurrentInitializer.RecurrentWeight(initialization, 1, hiddenSize, generator));
            if (hasBiases)
            {
                _biasIh = Register("bias_ih", RecurrentInitializer.Bias(initialization, mode, hiddenSize, true, 0, generator));
                _biasHh = Register("bias_hh", RecurrentInitializer.Bias(initialization, mode, hiddenSize, false, 0, generator));
            }
        }
    }

    /// <summary>The activation.</summary>
    public ElmanNonlinearity Nonlinearity { get; }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <summary>[H]: the hidden state.</summary>
    public IReadOnlyList<int> StateSizes { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state)
    {
        CellArguments.CheckStep(this, input, state);
        return CellMath.Elman(input, state[0], _weightIh, _weightHh, _biasIh, _biasHh, Nonlinearity);
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
