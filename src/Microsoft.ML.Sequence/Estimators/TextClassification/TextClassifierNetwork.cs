using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>The classifier network: word dropout (training only) → embedding (row 0 = PAD) → dropout → recurrent encoder →
/// pooling over time → dropout → linear layer to K logits. With <see cref="RecurrentTextClassifierOptions.EnsembleSize"/>
/// E above 1 it also holds E − 1 more such networks, each with its own initial values and dropout masks, trained beside it
/// on the same batches (each by its own loss) and averaged: the logits it returns are the log of the members' mean class
/// probabilities.</summary>
/// <remarks>State-dictionary keys: <c>embedding.weight</c>, <c>encoder.weight_ih_l0</c> … (PyTorch names),
/// <c>pooling.projection.weight</c>, <c>pooling.projection.bias</c>, <c>pooling.query</c> (attention pooling only),
/// <c>head.weight</c>, <c>head.bias</c>; the other members' under <c>others.0.</c> … <c>others.{E − 2}.</c> (E above 1 only).</remarks>
internal sealed class TextClassifierNetwork : nn.Module<Tensor, long[], (Tensor Logits, Tensor? Weights)>
{
    [ComponentName(Name = "embedding")]
    private readonly TorchSharp.Modules.Embedding _embedding;
    [ComponentName(Name = "encoder")]
    private readonly RecurrentBase _encoder;
    [ComponentName(Name = "pooling")]
    private readonly AttentionPooling? _attention;
    [ComponentName(Name = "head")]
    private readonly TorchSharp.Modules.Linear _head;
    [ComponentName(Name = "others")]
    private readonly TorchSharp.Modules.ModuleList<TextClassifierNetwork>? _others;
    private readonly TimePooling _pooling;
    private readonly double _dropout;
    private readonly double _wordDropout;
    private readonly long _unknownKey;
    private readonly Generator _generator;

    /// <summary>Creates the network on the CPU; it owns a CPU generator seeded with <paramref name="seed"/> for its initial
    /// values and its dropout masks (the caller moves the network to its device).</summary>
    /// <param name="embeddingRows">Embedding rows: the vocabulary's keys plus PAD (row 0).</param>
    /// <param name="classCount">K, the number of classes.</param>
    /// <param name="options">The network's settings (sizes, cell, pooling, dropout rates).</param>
    /// <param name="seed">Seed of the network's generator.</param>
    /// <param name="unknownKey">The key that word dropout writes over dropped tokens: the vocabulary's UNK key, or 0 (PAD,
    /// a zero vector) without UNK. Only training reads it.</param>
    public TextClassifierNetwork(long embeddingRows, int classCount, RecurrentTextClassifierOptions options, ulong seed, long unknownKey = 0)
        : this(embeddingRows, classCount, options, seed, unknownKey, options.EnsembleSize)
    {
    }

    private TextClassifierNetwork(long embeddingRows, int classCount, RecurrentTextClassifierOptions options, ulong seed, long unknownKey,
        int ensembleSize)
        : base(nameof(TextClassifierNetwork))
    {
        _pooling = options.Pooling;
        _dropout = options.Dropout;
        _wordDropout = options.WordDropout;
        _unknownKey = unknownKey;
        _generator = new Generator(seed, CPU);
        Generator generator = _generator;
        _embedding = Initialization.Embedding(embeddingRows, options.EmbeddingSize, generator);
        register_module("embedding", _embedding);
        _encoder = CreateEncoder(options, generator);
        register_module("encoder", _encoder);
        if (_pooling == TimePooling.Attention)
        {
            _attention = new AttentionPooling(_encoder.OutputSize, generator: generator);
            register_module("pooling", _attention);
        }

        _head = Initialization.Linear(_encoder.OutputSize, classCount, bias: true, generator);
        register_module("head", _head);
        if (options.FreezeEmbeddings)
        {
            _embedding.weight!.requires_grad = false;
        }

        if (ensembleSize > 1)
        {
            // Built after this member's own values, so that an ensemble's first member starts as the single network does.
            _others = new TorchSharp.Modules.ModuleList<TextClassifierNetwork>(Enumerable.Range(1, ensembleSize - 1)
                .Select(i => new TextClassifierNetwork(embeddingRows, classCount, options, MemberSeed(seed, i), unknownKey, 1)).ToArray());
            register_module("others", _others);
        }
    }

    /// <summary>Every member's embedding, the first member's first (pretrained vectors go into each).</summary>
    public IReadOnlyList<TorchSharp.Modules.Embedding> Embeddings => Members.Select(m => m._embedding).ToArray();

    /// <summary>Each member's trainable values, the first member's first: the groups that are clipped one by one, as if
    /// each member were trained alone.</summary>
    public IReadOnlyList<IReadOnlyList<TorchSharp.Modules.Parameter>> MemberParameters =>
        Members.Select(m => (IReadOnlyList<TorchSharp.Modules.Parameter>)m.OwnParameters().ToList()).ToList();

    /// <summary>Trainable values (parameters that require gradients).</summary>
    public long ParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Logits [B, K] and, for attention pooling, the weights [B, T].</summary>
    /// <param name="keys">int64 [B, T] token keys, 0 after each row's end.</param>
    /// <param name="lengths">Row lengths, each in [1, T].</param>
    /// <remarks>An ensemble returns log(mean of the members' softmax) as logits, so softmax of them is the mean probability,
    /// and the mean of the members' attention weights.</remarks>
    public override (Tensor Logits, Tensor? Weights) forward(Tensor keys, long[] lengths)
    {
        if (_others is null)
        {
            return MemberForward(keys, lengths);
        }

        using var scope = NewDisposeScope();
        List<(Tensor Logits, Tensor? Weights)> outputs = Members.Select(m => m.MemberForward(keys, lengths)).ToList();
        Tensor logits = stack(outputs.Select(o => o.Logits.log_softmax(-1)).ToArray()).logsumexp(0) - Math.Log(outputs.Count);
        Tensor? weights = outputs[0].Weights is null ? null : stack(outputs.Select(o => o.Weights!).ToArray()).mean([0]);
        return (logits.MoveToOuterDisposeScope(), weights?.MoveToOuterDisposeScope());
    }

    /// <summary>The training loss of a batch: the sum over members of each member's mean cross-entropy (a single network's
    /// own), so each member gets the gradient it would get alone.</summary>
    /// <param name="keys">int64 [B, T] token keys, 0 after each row's end.</param>
    /// <param name="lengths">Row lengths, each in [1, T].</param>
    /// <param name="labels">int64 [B] class indices.</param>
    public Tensor Loss(Tensor keys, long[] lengths, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor loss = Members.Select(m => nn.functional.cross_entropy(m.MemberForward(keys, lengths).Logits, labels))
            .Aggregate((a, b) => a + b);
        return loss.MoveToOuterDisposeScope();
    }

    private IEnumerable<TextClassifierNetwork> Members => _others is null ? [this] : _others.Prepend(this);

    /// <summary>This member's trainable values, without the other members'.</summary>
    private IEnumerable<TorchSharp.Modules.Parameter> OwnParameters() =>
        named_parameters().Where(p => !p.name.StartsWith("others.", StringComparison.Ordinal) && p.parameter.requires_grad)
            .Select(p => p.parameter);

    /// <summary>Member <paramref name="member"/>'s seed (from 1): the ensemble's seed spread by the golden-ratio constant.</summary>
    private static ulong MemberSeed(ulong seed, int member) => unchecked(seed + ((ulong)member * 0x9E3779B97F4A7C15UL));

    private (Tensor Logits, Tensor? Weights) MemberForward(Tensor keys, long[] lengths)
    {
        using var scope = NewDisposeScope();
        Tensor embedded = SeededDropout.Apply(_embedding.call(DropWords(keys)), _dropout, training, _generator);
        Tensor states = _encoder.Forward(embedded, tensor(lengths)).Output;
        Tensor lengthTensor = tensor(lengths, device: states.device);
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

        Tensor logits = _head.call(SeededDropout.Apply(pooled, _dropout, training, _generator));
        return (logits.MoveToOuterDisposeScope(), weights?.MoveToOuterDisposeScope());
    }

    /// <summary>The (first member's) encoder's states [B, T, units] for keys [B, T], without dropout: what the hidden-unit
    /// pictures show (units are the forward direction's, then the backward direction's). Call in evaluation mode without
    /// gradients.</summary>
    internal Tensor EncoderStates(Tensor keys, long[] lengths)
    {
        using var scope = NewDisposeScope();
        Tensor states = _encoder.Forward(_embedding.call(keys), tensor(lengths)).Output;
        return states.MoveToOuterDisposeScope();
    }

    /// <summary>In training, replaces each token (not PAD) by the UNK key with probability
    /// <see cref="RecurrentTextClassifierOptions.WordDropout"/>, the mask drawn from the network's generator (no draw when
    /// it is 0, so the default draws the same dropout masks as before); otherwise returns <paramref name="keys"/> itself.</summary>
    private Tensor DropWords(Tensor keys)
    {
        if (!training || _wordDropout <= 0)
        {
            return keys;
        }

        using (no_grad())
        {
            Tensor drop = empty(keys.shape, float32, _generator.device).bernoulli_(_wordDropout, _generator)
                .to(keys.device).to_type(ScalarType.Bool);
            return keys.masked_fill(drop.logical_and_(keys.ne(0)), _unknownKey);
        }
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
    internal static RecurrentBase CreateEncoder(RecurrentTextClassifierOptions options, Generator? generator)
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
