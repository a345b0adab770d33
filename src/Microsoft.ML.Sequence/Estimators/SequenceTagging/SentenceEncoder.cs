using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The tagger's stacked bidirectional recurrent encoder: the one place that builds recurrent layers.</summary>
/// <remarks>One <see cref="RecurrentBase"/> layer (<c>rnn</c>) of <see cref="RecurrentLayerOptions.LayerCount"/>
/// bidirectional layers with dropout between them, directions concatenated, packed variable lengths, the recurrent
/// family's default initialisation (orthogonal recurrent weights, Glorot input weights, LSTM forget-gate bias 1); the
/// computation of PyTorch's <c>nn.LSTM(num_layers=N, bidirectional=True, dropout=p)</c>.</remarks>
internal sealed class SentenceEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "rnn")]
    private readonly RecurrentBase _rnn;

    public SentenceEncoder(RecurrentMode cell, int inputSize, int hiddenSize, int layerCount, double dropout, Generator? generator)
        : base(nameof(SentenceEncoder))
    {
        var options = new RecurrentLayerOptions
        {
            InputSize = inputSize,
            HiddenSize = hiddenSize,
            LayerCount = layerCount,
            Bidirectional = true,
            Dropout = layerCount > 1 ? dropout : 0,
            Nonlinearity = cell == RecurrentMode.RnnRelu ? ElmanNonlinearity.Relu : ElmanNonlinearity.Tanh,
        };
        _rnn = cell switch
        {
            RecurrentMode.Lstm => new Lstm(options, generator),
            RecurrentMode.Gru => new Gru(options, generator),
            RecurrentMode.RnnTanh or RecurrentMode.RnnRelu => new ElmanRnn(options, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown recurrent cell."),
        };
        register_module("rnn", _rnn);
    }

    public int OutputSize => _rnn.OutputSize;

    /// <summary>[B, T, F] inputs and int64 [B] lengths → [B, T, 2H] outputs (zeros past each row's length).</summary>
    public override Tensor forward(Tensor input, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        return _rnn.Forward(input, lengths).Output.MoveToOuterDisposeScope();
    }
}
