using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Embeddings;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The tagger network: word embedding (+ character encoder output) → dropout → stacked BiLSTM → dropout →
/// linear tag scores, then softmax cross-entropy (PAD ignored) or a linear-chain CRF.</summary>
/// <remarks>State-dict keys: <c>words.weight</c>, <c>characters.*</c>, <c>encoder.layer{i}.*</c>, <c>output.weight</c>,
/// <c>output.bias</c>, <c>crf.*</c>. The network owns the generator its dropout layers draw from.</remarks>
internal sealed class TaggerNetwork : Module
{
    private readonly RandomGenerator? _generator;
    private readonly Embedding _words;
    private readonly CharacterWordEncoder? _characters;
    private readonly Dropout _dropout;
    private readonly SentenceEncoder _encoder;
    private readonly Linear _output;
    private readonly LinearChainCrf? _crf;

    /// <param name="options">Validated settings.</param>
    /// <param name="vocabularies">Sizes of the embeddings and of the output layer.</param>
    /// <param name="generator">Initialisation and dropout; the network takes ownership.</param>
    public TaggerNetwork(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, RandomGenerator? generator)
    {
        _generator = generator;
        TagCount = vocabularies.TagCount;
        _words = RegisterModule("words", new Embedding(vocabularies.Words.EmbeddingRows, options.WordEmbeddingSize, paddingIndex: 0, generator));
        int inputSize = options.WordEmbeddingSize;
        if (options.UseCharacterEncoder)
        {
            _characters = RegisterModule("characters", new CharacterWordEncoder(
                vocabularies.Characters.EmbeddingRows, options.CharacterEmbeddingSize, options.CharacterHiddenSize, generator));
            inputSize += _characters.OutputSize;
        }

        _dropout = RegisterModule("dropout", new Dropout(options.Dropout, generator));
        _encoder = RegisterModule("encoder", new SentenceEncoder(options.Cell, inputSize, options.HiddenSize, options.LayerCount, options.Dropout, generator));
        _output = RegisterModule("output", new Linear(_encoder.OutputSize, TagCount, bias: true, generator));
        if (options.Output == TaggerOutput.Crf)
        {
            CrfConstraints constraints = options.TagScheme == TagScheme.None
                ? CrfConstraints.None(TagCount)
                : CrfConstraints.For(vocabularies.Tags.Values, options.TagScheme);
            _crf = RegisterModule("crf", new LinearChainCrf(TagCount, constraints, generator));
        }
    }

    public int TagCount { get; }

    public Embedding WordEmbedding => _words;

    /// <summary>Tag scores [B, T, K] (zeros past each row's length are not masked; losses and decoding use lengths).</summary>
    public Tensor Emissions(TaggerBatchTensors batch)
    {
        using var scope = TensorScope.Begin();
        Tensor x = _words.Forward(batch.Words);
        if (_characters is not null)
        {
            x = Tensor.Cat([x, _characters.Forward(batch.Characters!, batch.CharacterLengths!)], 2);
        }

        x = _encoder.Forward(_dropout.Forward(x), batch.Lengths);
        return scope.MoveToOuter(_output.Forward(_dropout.Forward(x)));
    }

    /// <summary>The mean training loss of a batch: cross-entropy per scored token, or CRF negative log-likelihood per
    /// sentence.</summary>
    public Tensor Loss(TaggerBatchTensors batch)
    {
        using var scope = TensorScope.Begin();
        Tensor emissions = Emissions(batch);
        return scope.MoveToOuter(Loss(emissions, batch));
    }

    public Tensor Loss(Tensor emissions, TaggerBatchTensors batch)
    {
        using var scope = TensorScope.Begin();
        Tensor targets = batch.Targets ?? throw new InvalidOperationException("The batch has no gold tags.");
        if (_crf is null)
        {
            return scope.MoveToOuter(Losses.CrossEntropy(emissions.Reshape(-1, TagCount), targets.Reshape(-1),
                ignoreIndex: TaggerVocabularies.IgnoredTag));
        }

        // Unknown gold tags (validation data only) become class 0 for the likelihood; they are counted wrong anyway.
        Tensor known = targets.Ge(0);
        Tensor tags = Tensor.Where(known, targets, Tensor.Zeros([1], DType.Int64, targets.Device));
        return scope.MoveToOuter(-_crf.LogLikelihood(emissions, tags, batch.Lengths.To(emissions.Device)).Mean());
    }

    /// <summary>Predicted tag classes per row (each of its length) and per-token tag distributions [B, T, K] (float32,
    /// CPU): softmax probabilities, or CRF marginals with Viterbi decoding.</summary>
    public (IReadOnlyList<long[]> Tags, float[] Scores) Predict(Tensor emissions, TaggerBatchTensors batch)
    {
        using var scope = TensorScope.Begin();
        long[] lengths = batch.Lengths.ToArray<long>();
        if (_crf is not null)
        {
            Tensor lengthsOnDevice = batch.Lengths.To(emissions.Device);
            IReadOnlyList<long[]> decoded = _crf.Decode(emissions, lengthsOnDevice);
            return (decoded, _crf.Marginals(emissions, lengthsOnDevice).ToArray<float>());
        }

        Tensor probabilities = emissions.Softmax(-1).To(Device.Cpu);
        long[] best = emissions.ArgMax(-1).To(Device.Cpu).ToArray<long>();
        long steps = emissions.Size(1);
        var tags = new long[lengths.Length][];
        for (int row = 0; row < lengths.Length; row++)
        {
            tags[row] = best.AsSpan((int)(row * steps), (int)lengths[row]).ToArray();
        }

        return (tags, probabilities.ToArray<float>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator?.Dispose();
        }
    }
}
