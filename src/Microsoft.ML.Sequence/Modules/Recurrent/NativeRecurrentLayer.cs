using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PackedSequence = TorchSharp.torch.nn.utils.rnn.PackedSequence;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// One layer of a built-in recurrent layer on TorchSharp's native module (<c>nn.LSTM</c>, <c>nn.GRU</c>, <c>nn.RNN</c>
/// with one layer, batch-first, one or two directions). The owner registers the module's parameter tensors under its
/// own names and never registers the module as a child; this wrapper runs it and moves it.
/// </summary>
internal sealed class NativeRecurrentLayer : IDisposable
{
    private readonly nn.Module _module;

    public NativeRecurrentLayer(RecurrentMode mode, int layer, long inputs, long hidden, bool bidirectional, bool biases)
    {
        Mode = mode;
        Layer = layer;
        // Dropout 0 here: dropout between layers is ours (SeededDropout), drawn from the layer's generator.
        _module = mode switch
        {
            RecurrentMode.Lstm => nn.LSTM(inputs, hidden, 1, bias: biases, batchFirst: true, bidirectional: bidirectional),
            RecurrentMode.Gru => nn.GRU(inputs, hidden, 1, bias: biases, batchFirst: true, bidirectional: bidirectional),
            RecurrentMode.RnnTanh => nn.RNN(inputs, hidden, 1, nn.NonLinearities.Tanh, biases, true, 0, bidirectional),
            RecurrentMode.RnnRelu => nn.RNN(inputs, hidden, 1, nn.NonLinearities.ReLU, biases, true, 0, bidirectional),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown recurrent mode."),
        };

        // TorchSharp wraps the module's parameters in the caller's dispose scope, if any; they belong to the module.
        foreach (Parameter parameter in _module.parameters())
        {
            parameter.DetachFromDisposeScope();
        }
    }

    public RecurrentMode Mode { get; }

    /// <summary>Index k of this layer in the stack (the <c>_l{k}</c> of its parameter names).</summary>
    public int Layer { get; }

    /// <summary>The module's parameters in its own (PyTorch's) order, renamed from <c>…_l0</c> to <c>…_l{k}</c>. Read
    /// again after a move: the module may have replaced a parameter object.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() =>
        _module.named_parameters().Select(p => (p.name.Replace("_l0", $"_l{Layer}", StringComparison.Ordinal), p.parameter));

    /// <summary>[W_ih, W_hh] or [W_ih, W_hh, b_ih, b_hh] of one direction (0 forward, 1 backward).</summary>
    public IReadOnlyList<Tensor> Weights(int direction)
    {
        string suffix = direction == 1 ? "_l0_reverse" : "_l0";
        var byName = _module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var weights = new List<Tensor> { byName["weight_ih" + suffix], byName["weight_hh" + suffix] };
        if (byName.TryGetValue("bias_ih" + suffix, out Tensor? bIh))
        {
            weights.Add(bIh);
            weights.Add(byName["bias_hh" + suffix]);
        }

        return weights;
    }

    /// <summary>Runs the layer over padded [B, T, F]: outputs [B, T, D·H], final states [D, B, H].</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) Run(Tensor input, Tensor? h0, Tensor? c0)
    {
        switch (_module)
        {
            case LSTM lstm:
                (Tensor output, Tensor hidden, Tensor cell) = lstm.call(input, h0 is null ? null : (h0, c0!));
                return (output, hidden, cell);
            case GRU gru:
                (Tensor gruOutput, Tensor gruHidden) = gru.call(input, h0);
                return (gruOutput, gruHidden, null);
            case RNN rnn:
                (Tensor rnnOutput, Tensor rnnHidden) = rnn.call(input, h0);
                return (rnnOutput, rnnHidden, null);
            default:
                throw new InvalidOperationException($"Unexpected native module {_module.GetType().Name}.");
        }
    }

    /// <summary>Runs the layer over a packed batch; h0/c0 and the final states are in the caller's row order (the
    /// module permutes them by the packed sequence's sorted indices).</summary>
    public (PackedSequence Output, Tensor Hidden, Tensor? Cell) Run(PackedSequence input, Tensor? h0, Tensor? c0)
    {
        switch (_module)
        {
            case LSTM lstm:
                (PackedSequence output, Tensor hidden, Tensor cell) = lstm.call(input, h0 is null ? null : (h0, c0!));
                return (output, hidden, cell);
            case GRU gru:
                (PackedSequence gruOutput, Tensor gruHidden) = gru.call(input, h0);
                return (gruOutput, gruHidden, null);
            case RNN rnn:
                (PackedSequence rnnOutput, Tensor rnnHidden) = rnn.call(input, h0);
                return (rnnOutput, rnnHidden, null);
            default:
                throw new InvalidOperationException($"Unexpected native module {_module.GetType().Name}.");
        }
    }

    /// <summary>Converts or moves the module (libtorch converts its parameters in place).</summary>
    public void MoveTo(ScalarType? dtype, Device? device, bool nonBlocking)
    {
        if (device is null)
        {
            _module.to(dtype!.Value, nonBlocking);
        }
        else if (dtype is null)
        {
            _module.to(device.type, device.index, nonBlocking);
        }
        else
        {
            _module.to(device, dtype.Value, nonBlocking);
        }
    }

    public void Train(bool training) => _module.train(training);

    public void Dispose() => _module.Dispose();
}
