using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>One Elman RNN step, h' = act(W_ih x + b_ih + W_hh h + b_hh) with act = tanh or relu, computed with two
/// matrix products (never the fused kernel): the per-step counterpart of <see cref="ElmanRnn"/>.</summary>
/// <remarks>
/// <para><b>Parameters</b> (PyTorch's <c>nn.RNNCell</c> names): <c>weight_ih</c> [H, F], <c>weight_hh</c> [H, H],
/// <c>bias_ih</c>, <c>bias_hh</c> [H]. State [h], [B, H]. <b>Initialisation</b> as <see cref="ElmanRnn"/>.</para>
/// </remarks>
public sealed class ElmanCell : Module, IRecurrentCell
{
    private readonly ModuleParameter _weightIh, _weightHh;
    private readonly ModuleParameter? _biasIh, _biasHh;

    /// <summary>Creates the cell.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of h (H), at least 1.</param>
    /// <param name="nonlinearity">Activation. Default: <see cref="ElmanNonlinearity.Tanh"/>.</param>
    /// <param name="hasBiases">Include b_ih and b_hh. Default: true.</param>
    /// <param name="initialization">Initialisation scheme. Default: <see cref="RecurrentInitialization.Orthogonal"/>.</param>
    /// <param name="generator">Source of initial values; null uses libtorch's global generator. Default: null.</param>
    public ElmanCell(int inputSize, int hiddenSize, ElmanNonlinearity nonlinearity = ElmanNonlinearity.Tanh, bool hasBiases = true,
        RecurrentInitialization initialization = RecurrentInitialization.Orthogonal, RandomGenerator? generator = null)
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
        using (TensorScope.Begin())
        {
            _weightIh = RegisterParameter("weight_ih", RecurrentInitializer.InputWeight(initialization, 1, hiddenSize, inputSize, generator));
            _weightHh = RegisterParameter("weight_hh", RecurrentInitializer.RecurrentWeight(initialization, 1, hiddenSize, generator));
            if (hasBiases)
            {
                _biasIh = RegisterParameter("bias_ih", RecurrentInitializer.Bias(initialization, mode, hiddenSize, true, 0, generator));
                _biasHh = RegisterParameter("bias_hh", RecurrentInitializer.Bias(initialization, mode, hiddenSize, false, 0, generator));
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
        return CellMath.Elman(input, state[0], _weightIh.Value, _weightHh.Value, _biasIh?.Value, _biasHh?.Value, Nonlinearity);
    }
}
