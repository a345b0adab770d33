using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Attention;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>Show, Attend and Tell: a conv encoder gives L regions of D features; their mean, through a linear layer and
/// tanh, gives the decoder's initial h and c (the lectures' recipe); at each step additive attention of h over the regions
/// gives a context z, gated by σ(W_β h) as in the paper; the LSTM cell reads [embedding of the previous word; z]; the
/// next word's logits come from a linear layer over dropout([h; z]).</summary>
/// <remarks>State-dictionary keys: <c>encoder.stack.conv{i}.weight</c>, <c>encoder.stack.norm{i}.*</c>,
/// <c>encoder.position</c>, <c>embedding.weight</c> (row 0 = PAD, zero), <c>init_h.weight/bias</c>,
/// <c>init_c.weight/bias</c>, <c>attention.query_projection.weight</c>, <c>attention.key_projection.weight/bias</c>,
/// <c>attention.v</c>, <c>gate.weight/bias</c>, <c>decoder.weight_ih</c> [4H, E + D], <c>decoder.weight_hh</c>,
/// <c>decoder.bias_ih/bias_hh</c>, <c>output.weight</c> [V, H + D], <c>output.bias</c>. The network owns a CPU generator
/// (initial values, dropout masks, scheduled-sampling draws) seeded by its creator.</remarks>
internal sealed class CaptionNetwork : nn.Module
{
    [ComponentName(Name = "encoder")]
    private readonly ImageEncoder _encoder;
    [ComponentName(Name = "embedding")]
    private readonly TorchSharp.Modules.Embedding _embedding;
    [ComponentName(Name = "init_h")]
    private readonly TorchSharp.Modules.Linear _initH;
    [ComponentName(Name = "init_c")]
    private readonly TorchSharp.Modules.Linear _initC;
    [ComponentName(Name = "attention")]
    private readonly AdditiveAttention _attention;
    [ComponentName(Name = "gate")]
    private readonly TorchSharp.Modules.Linear _gate;
    [ComponentName(Name = "decoder")]
    private readonly LstmCell _cell;
    [ComponentName(Name = "output")]
    private readonly TorchSharp.Modules.Linear _output;
    private readonly double _dropout;
    private readonly Generator _generator;

    public CaptionNetwork(long vocabularyRows, ImageCaptionerOptions options, ulong seed)
        : base(nameof(CaptionNetwork))
    {
        _dropout = options.Dropout;
        _generator = new Generator(seed, CPU);
        _encoder = new ImageEncoder(options.EncoderChannels, options.ImageWidth, options.ImageHeight, _generator);
        int d = _encoder.FeatureSize, h = options.HiddenSize;
        _embedding = Initialization.Embedding(vocabularyRows, options.EmbeddingSize, _generator);
        _initH = Initialization.Linear(d, h, bias: true, _generator);
        _initC = Initialization.Linear(d, h, bias: true, _generator);
        _attention = new AdditiveAttention(h, d, options.AttentionSize, _generator);
        _gate = Initialization.Linear(h, d, bias: true, _generator);
        _cell = new LstmCell(options.EmbeddingSize + d, h, generator: _generator);
        _output = Initialization.Linear(h + d, vocabularyRows, bias: true, _generator);
        VocabularyRows = vocabularyRows;
        register_module("encoder", _encoder);
        register_module("embedding", _embedding);
        register_module("init_h", _initH);
        register_module("init_c", _initC);
        register_module("attention", _attention);
        register_module("gate", _gate);
        register_module("decoder", _cell);
        register_module("output", _output);
    }

    public ImageEncoder Encoder => _encoder;

    public long VocabularyRows { get; }

    public Generator Generator => _generator;

    /// <summary>Trainable values.</summary>
    public long ParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Encodes images [B, 3, H, W] and starts the decoder: regions, projected keys and the initial state.</summary>
    public DecoderState Start(Tensor images)
    {
        using var scope = NewDisposeScope();
        Tensor regions = _encoder.call(images);
        Tensor mean = regions.mean([1]);
        var state = new DecoderState(regions, _attention.ProjectKeys(regions), _initH.call(mean).tanh(), _initC.call(mean).tanh());
        return state.MoveToOuterDisposeScope();
    }

    /// <summary>One decoder step for every row of <paramref name="state"/>: the previous words [N] (int64 keys) in, the
    /// next word's logits [N, V], the attention weights [N, L] and the advanced state out.</summary>
    public (Tensor Logits, Tensor Weights, DecoderState State) Step(Tensor previous, DecoderState state)
    {
        using var scope = NewDisposeScope();
        AttentionResult attended = _attention.AttendProjected(state.Hidden, state.Keys, state.Regions);
        Tensor context = _gate.call(state.Hidden).sigmoid() * attended.Context;
        Tensor embedded = SeededDropout.Apply(_embedding.call(previous), _dropout, training, _generator);
        IReadOnlyList<Tensor> next = _cell.Step(cat([embedded, context], 1), [state.Hidden, state.Cell]);
        Tensor logits = _output.call(SeededDropout.Apply(cat([next[0], context], 1), _dropout, training, _generator));
        // Regions and keys pass through unchanged: they stay in the scope that owns them.
        var advanced = new DecoderState(state.Regions, state.Keys, next[0].MoveToOuterDisposeScope(), next[1].MoveToOuterDisposeScope());
        return (logits.MoveToOuterDisposeScope(), attended.Weights.MoveToOuterDisposeScope(), advanced);
    }

    /// <summary>The training loss of a batch: images, decoder inputs [B, T] (START, w1 … wn, PAD …) and
    /// targets [B, T] (w1 … wn, END, PAD …): mean cross-entropy over the real target tokens (PAD = 0 ignored), plus
    /// λ · mean over rows of Σ_l (1 − Σ_t α_tl)² over the real steps when λ &gt; 0. With scheduled-sampling probability
    /// p &gt; 0, each step of each row reads the model's previous prediction (argmax, no gradient) instead of the true
    /// word with probability p.</summary>
    /// <param name="images">The batch's distinct images [U, 3, H, W].</param>
    /// <param name="imageOfRow">int64 [B]: the image of each row (rows with the same image share its encoding, so an image
    /// with several captions is encoded once per batch); null when row i is image i.</param>
    /// <param name="inputs">Decoder inputs [B, T].</param>
    /// <param name="targets">Targets [B, T].</param>
    /// <param name="samplingProbability">Scheduled-sampling probability p.</param>
    /// <param name="attentionPenalty">λ of the doubly stochastic attention penalty.</param>
    public Tensor Loss(Tensor images, Tensor? imageOfRow, Tensor inputs, Tensor targets, double samplingProbability, double attentionPenalty)
    {
        using var scope = NewDisposeScope();
        DecoderState state = Start(images);
        if (imageOfRow is not null)
        {
            state = state.Select(imageOfRow);
        }

        long steps = inputs.shape[1];
        var logits = new List<Tensor>((int)steps);
        var weights = new List<Tensor>((int)steps);
        Tensor? predicted = null;
        for (long t = 0; t < steps; t++)
        {
            Tensor previous = inputs[TensorIndex.Colon, TensorIndex.Single(t)];
            if (samplingProbability > 0 && predicted is not null)
            {
                Tensor sample = empty(previous.shape, float32, CPU).bernoulli_(samplingProbability, _generator).to(previous.device).to_type(ScalarType.Bool);
                previous = where(sample, predicted, previous);
            }

            (Tensor stepLogits, Tensor stepWeights, state) = Step(previous, state);
            logits.Add(stepLogits);
            weights.Add(stepWeights);
            if (samplingProbability > 0)
            {
                predicted = stepLogits.detach().argmax(-1);
            }
        }

        Tensor all = stack(logits, 1);                                                   // [B, T, V]
        Tensor loss = nn.functional.cross_entropy(all.reshape(-1, all.shape[2]), targets.reshape(-1), ignore_index: 0);
        if (attentionPenalty > 0)
        {
            Tensor real = targets.ne(0).to_type(float32).unsqueeze(2);                    // [B, T, 1]
            Tensor coverage = (stack(weights, 1) * real).sum([1]);                          // [B, L]
            loss = loss + attentionPenalty * (1 - coverage).pow(2).sum([1]).mean();
        }

        return loss.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator.Dispose();
        }
    }
}
