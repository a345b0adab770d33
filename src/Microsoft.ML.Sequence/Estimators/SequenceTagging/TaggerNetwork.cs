using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Embeddings;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The tagger network: word embedding (+ character encoder output) → dropout → stacked BiLSTM → dropout →
/// linear tag scores, then softmax cross-entropy (PAD ignored) or a linear-chain CRF.</summary>
/// <remarks>State-dict keys: <c>words.weight</c>, <c>characters.*</c>, <c>encoder.rnn.*</c>, <c>output.weight</c>,
/// <c>output.bias</c>, <c>crf.*</c>. The network owns the generator its initial values and dropout masks come from.</remarks>
internal sealed class TaggerNetwork : nn.Module<TaggerBatchTensors, Tensor>
{
    private readonly Generator? _generator;
    [ComponentName(Name = "words")]
    private readonly TorchSharp.Modules.Embedding _words;
    [ComponentName(Name = "characters")]
    private readonly CharacterWordEncoder? _characters;
    private readonly double _dropout;
    [ComponentName(Name = "encoder")]
    private readonly SentenceEncoder _encoder;
    [ComponentName(Name = "output")]
    private readonly TorchSharp.Modules.Linear _output;
    [ComponentName(Name = "crf")]
    private readonly LinearChainCrf? _crf;

    /// <param name="options">Validated settings.</param>
    /// <param name="vocabularies">Sizes of the embeddings and of the output layer.</param>
    /// <param name="generator">Initialisation and dropout; the network takes ownership.</param>
    public TaggerNetwork(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, Generator? generator)
        : base(nameof(TaggerNetwork))
    {
        _generator = generator;
        _dropout = options.Dropout;
        TagCount = vocabularies.TagCount;
        _words = Initialization.Embedding(vocabularies.Words.EmbeddingRows, options.WordEmbeddingSize, generator);
        register_module("words", _words);
        int inputSize = options.WordEmbeddingSize;
        if (options.UseCharacterEncoder)
        {
            _characters = new CharacterWordEncoder(
                vocabularies.Characters.EmbeddingRows, options.CharacterEmbeddingSize, options.CharacterHiddenSize, generator);
            register_module("characters", _characters);
            inputSize += _characters.OutputSize;
        }

        _encoder = new SentenceEncoder(options.Cell, inputSize, options.HiddenSize, options.LayerCount, options.Dropout, generator);
        register_module("encoder", _encoder);
        _output = Initialization.Linear(_encoder.OutputSize, TagCount, bias: true, generator);
        register_module("output", _output);
        if (options.Output == TaggerOutput.Crf)
        {
            CrfConstraints constraints = options.TagScheme == TagScheme.None
                ? CrfConstraints.None(TagCount)
                : CrfConstraints.For(vocabularies.Tags.Values, options.TagScheme);
            _crf = new LinearChainCrf(TagCount, constraints, generator);
            register_module("crf", _crf);
        }
    }

    public int TagCount { get; }

    public TorchSharp.Modules.Embedding WordEmbedding => _words;

    /// <summary>Trainable values (parameters that require gradients).</summary>
    public long ParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Tag scores (emissions) [B, T, K] (zeros past each row's length are not masked; losses and decoding use lengths).</summary>
    public override Tensor forward(TaggerBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        Tensor x = _words.call(batch.Words);
        if (_characters is not null)
        {
            x = cat([x, _characters.Forward(batch.Characters!, batch.CharacterLengths!)], 2);
        }

        x = _encoder.call(SeededDropout.Apply(x, _dropout, training, _generator), batch.Lengths);
        return _output.call(SeededDropout.Apply(x, _dropout, training, _generator)).MoveToOuterDisposeScope();
    }

    /// <summary>The mean training loss of a batch: cross-entropy per scored token, or CRF negative log-likelihood per
    /// sentence.</summary>
    public Tensor Loss(TaggerBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        Tensor emissions = call(batch);
        return Loss(emissions, batch).MoveToOuterDisposeScope();
    }

    public Tensor Loss(Tensor emissions, TaggerBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        Tensor targets = batch.Targets ?? throw new InvalidOperationException("The batch has no gold tags.");
        if (_crf is null)
        {
            return nn.functional.cross_entropy(emissions.reshape(-1, TagCount), targets.reshape(-1),
                ignore_index: TaggerVocabularies.IgnoredTag).MoveToOuterDisposeScope();
        }

        // Unknown gold tags (validation data only) become class 0 for the likelihood; they are counted wrong anyway.
        Tensor known = targets.ge(0);
        Tensor tags = where(known, targets, zeros(1, dtype: ScalarType.Int64, device: targets.device));
        return (-_crf.LogLikelihood(emissions, tags, batch.Lengths.to(emissions.device)).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted tag classes per row (each of its length) and per-token tag distributions [B, T, K] (float32,
    /// CPU): softmax probabilities, or CRF marginals with Viterbi decoding.</summary>
    public (IReadOnlyList<long[]> Tags, float[] Scores) Predict(Tensor emissions, TaggerBatchTensors batch)
    {
        using var scope = NewDisposeScope();
        long[] lengths = TensorValues.ToArray<long>(batch.Lengths);
        if (_crf is not null)
        {
            Tensor lengthsOnDevice = batch.Lengths.to(emissions.device);
            IReadOnlyList<long[]> decoded = _crf.Decode(emissions, lengthsOnDevice);
            return (decoded, ToFloats(_crf.Marginals(emissions, lengthsOnDevice)));
        }

        Tensor probabilities = emissions.softmax(-1);
        long[] best = TensorValues.ToArray<long>(emissions.argmax(-1));
        long steps = emissions.shape[1];
        var tags = new long[lengths.Length][];
        for (int row = 0; row < lengths.Length; row++)
        {
            tags[row] = best.AsSpan((int)(row * steps), (int)lengths[row]).ToArray();
        }

        return (tags, ToFloats(probabilities));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator?.Dispose();
        }
    }

    private static float[] ToFloats(Tensor values) => TensorValues.ToArray<float>(values.to(ScalarType.Float32));
}
