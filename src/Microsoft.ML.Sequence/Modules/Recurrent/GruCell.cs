using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One GRU step in libtorch's reset-after form, computed with two matrix products and element-wise
/// activations (never the fused kernel): the per-step counterpart of <see cref="Gru"/>.</summary>
/// <remarks>
/// <para><b>Equations</b>, gates r, z, n: a = W_ih x + b_ih, b = W_hh h + b_hh (each split in blocks r, z, n);
/// r = σ(a_r + b_r); z = σ(a_z + b_z); n = tanh(a_n + r ⊙ b_n); h' = (1 − z) ⊙ n + z ⊙ h. State [h], [B, H].</para>
/// <para><b>Parameters</b> (PyTorch's <c>nn.GRUCell</c> names): <c>weight_ih</c> [3H, F], <c>weight_hh</c> [3H, H],
/// <c>bias_ih</c>, <c>bias_hh</c> [3H]. <b>Initialisation</b> as <see cref="Gru"/>.</para>
/// </remarks>
public sealed class GruCell : nn.Module, IRecurrentCell
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
    /// <param name="hasBiases">Include b_ih and b_hh. Default: true.</param>
    /// <param name="initialization">Initialisation scheme. Default: <see cref="RecurrentInitialization.Orthogonal"/>.</param>
    /// <param name="generator">Source of initial values; null uses libtorch's global generator. Default: null.</param>
    public GruCell(int inputSize, int hiddenSize, bool hasBiases = true,
        RecurrentInitialization initialization = RecurrentInitialization.Orthogonal, Generator? generator = null)
        : base(nameof(GruCell))
    {
        CellArguments.Check(inputSize, hiddenSize, initialization);
        InputSize = inputSize;
        StateSizes = [hiddenSize];
        using (torch.NewDisposeScope())
        {
            _weightIh = Register("weight_ih", RecurrentInitializer.InputWeight(initialization, 3, hiddenSize, inputSize, generator));
            _weightHh = Register("weight_hh", RecurrentInitializer.RecurrentWeight(initialization, 3, hiddenSize, generator));
            if (hasBiases)
            {
                _biasIh = Register("bias_ih", RecurrentInitializer.Bias(initialization, RecurrentMode.Gru, hiddenSize, true, 0, generator));
                _biasHh = Register("bias_hh", RecurrentInitializer.Bias(initialization, RecurrentMode.Gru, hiddenSize, false, 0, generator));
            }
        }
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <summary>[H]: the hidden state.</summary>
    public IReadOnlyList<int> StateSizes { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state)
    {
        CellArguments.CheckStep(this, input, state);
        return CellMath.Gru(input, state[0], _weightIh, _weightHh, _biasIh, _biasHh);
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
