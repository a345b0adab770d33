using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>The classifier network: embedding (row 0 = PAD) → dropout → recurrent encoder → pooling over time →
/// dropout → linear layer to K logits.</summary>
/// <remarks>State-dictionary keys: <c>embedding.weight</c>, <c>encoder.weight_ih_l0</c> … (PyTorch names),
/// <c>pooling.projection.weight</c>, <c>pooling.projection.bias</c>, <c>pooling.query</c> (attention pooling only),
/// <c>head.weight</c>, <c>head.bias</c>.</remarks>
internal sealed class TextClassifierNetwork : Module
{
    private readonly Embedding _embedding;
    private readonly Dropout _inputDropout;
    private readonly RecurrentBase _encoder;
    private readonly AttentionPooling? _attention;
    private readonly Dropout _outputDropout;
    private readonly Linear _head;
    private readonly TimePooling _pooling;
    private readonly RandomGenerator _generator;

    /// <summary>Creates the network on the CPU; it owns a CPU generator seeded with <paramref name="seed"/> for its initial
    /// values and its dropout masks (the caller moves the network to its device).</summary>
    public TextClassifierNetwork(long embeddingRows, int classCount, RecurrentTextClassifierOptions options, ulong seed)
    {
        _pooling = options.Pooling;
        _generator = new RandomGenerator(seed, Device.Cpu);
        RandomGenerator generator = _generator;
        _embedding = RegisterModule("embedding", new Embedding(embeddingRows, options.EmbeddingSize, paddingIndex: 0, generator: generator));
        _inputDropout = RegisterModule("input_dropout", new Dropout(options.Dropout, generator));
        _encoder = RegisterModule("encoder", CreateEncoder(options, generator));
        if (_pooling == TimePooling.Attention)
        {
            _attention = RegisterModule("pooling", new AttentionPooling(_encoder.OutputSize, generator: generator));
        }

        _outputDropout = RegisterModule("output_dropout", new Dropout(options.Dropout, generator));
        _head = RegisterModule("head", new Linear(_encoder.OutputSize, classCount, generator: generator));
        _embedding.Frozen = options.FreezeEmbeddings;
    }

    public Embedding Embedding => _embedding;

    /// <summary>Logits [B, K] and, for attention pooling, the weights [B, T].</summary>
    /// <param name="keys">int64 [B, T] token keys, 0 after each row's end.</param>
    /// <param name="lengths">Row lengths, each in [1, T].</param>
    public (Tensor Logits, Tensor? Weights) Forward(Tensor keys, long[] lengths)
    {
        using var scope = TensorScope.Begin();
        Tensor embedded = _inputDropout.Forward(_embedding.Forward(keys));
        Tensor states = _encoder.Forward(embedded, Tensor.From(lengths)).Output;
        Tensor lengthTensor = Tensor.From(lengths, states.Device);
        Tensor? weights = null;
        Tensor pooled;
        switch (_pooling)
        {
            case TimePooling.Last:
                pooled = SequencePooling.Last(states, lengthTensor, _encoder.IsBidirectional);
                break;
            case TimePooling.Max:
                pooled = SequencePooling.Max(states, lengthTensor);
                break;
            case TimePooling.Mean:
                pooled = SequencePooling.Mean(states, lengthTensor);
                break;
            default:
                (pooled, weights) = _attention!.Forward(states, lengthTensor);
                break;
        }

        Tensor logits = _head.Forward(_outputDropout.Forward(pooled));
        return (scope.MoveToOuter(logits), weights is null ? null : scope.MoveToOuter(weights));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator.Dispose();
        }
    }

    /// <summary>The one place the recurrent encoder is built: the recurrent family's layer for the cell, with its default
    /// initialisation (orthogonal recurrent weights, Glorot input weights, LSTM forget-gate bias 1) and kernel choice;
    /// dropout between stacked layers (masks from the network's generator) when there is more than one layer.</summary>
    internal static RecurrentBase CreateEncoder(RecurrentTextClassifierOptions options, RandomGenerator? generator)
    {
        var layer = new RecurrentLayerOptions
        {
            InputSize = options.EmbeddingSize,
            HiddenSize = options.HiddenSize,
            LayerCount = options.LayerCount,
            Bidirectional = options.Bidirectional,
            Dropout = options.LayerCount > 1 ? options.Dropout : 0,
        };
        return options.Cell switch
        {
            TextEncoderCell.Lstm => new Lstm(layer, generator),
            TextEncoderCell.Gru => new Gru(layer, generator),
            TextEncoderCell.Rnn => new ElmanRnn(layer, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Cell, "Unknown TextEncoderCell."),
        };
    }
}
