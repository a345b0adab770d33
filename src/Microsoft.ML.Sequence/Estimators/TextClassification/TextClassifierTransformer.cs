using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>A fitted recurrent text classifier: adds <c>PredictedLabel</c>, <c>Score</c>, <c>Probability</c> (binary)
/// and <c>AttentionWeights</c> (attention pooling) columns, scoring rows in batches.</summary>
/// <remarks>
/// <para><c>Score</c> holds probabilities (a softmax), never logits: K values in key order summing to 1, for binary
/// models too. <c>Probability</c> is <c>Score</c>'s entry of the positive class. <c>PredictedLabel</c> is the key of the
/// largest probability; its key type carries the classes, so it maps back to the label values.</para>
/// <para><see cref="Transform"/> is lazy: a cursor reads <see cref="RecurrentTextClassifierOptions.PredictionBatchSize"/>
/// rows at a time and scores them in one forward pass. It is safe to use from several threads at once.</para>
/// <para>Saved models hold every option, the word and class vocabularies and the network's weights (PyTorch
/// state-dictionary names). Dispose the transformer to free the weights.</para>
/// </remarks>
[PersistableComponent("Sequence.RecurrentTextClassifier", 1)]
public sealed class TextClassifierTransformer : ISequenceTransformer, IPersistableComponent, IDisposable
{
    private readonly RecurrentTextClassifierOptions _options;
    private readonly TextClassifierNetwork _network;
    private readonly TextInputEncoder _encoder;
    private readonly KeyColumnType _labelType;
    private readonly Device _device;
    private bool _disposed;

    internal TextClassifierTransformer(RecurrentTextClassifierOptions options, Vocabulary words, bool keyInput, Vocabulary classes,
        int positiveClassIndex, TextClassifierNetwork network, Device device, TrainingHistory? history)
    {
        _options = options;
        _network = network;
        _encoder = new TextInputEncoder(options, words, keyInput);
        ClassVocabulary = classes;
        _labelType = new KeyColumnType(classes);
        PositiveClassIndex = positiveClassIndex;
        _device = device;
        History = history;
        _network.eval();
    }

    /// <summary>Per-epoch losses and validation figures of the <c>Fit</c> that made this model; null for a loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>The classes in key order (key k is element k − 1): the label values as text.</summary>
    public IReadOnlyList<string> Classes => ClassVocabulary.Values;

    /// <summary>True when the model has two classes (and a <c>Probability</c> column).</summary>
    public bool IsBinary => Classes.Count == 2;

    /// <summary>Binary models: the class whose probability is the <c>Probability</c> column; null otherwise.</summary>
    public string? PositiveClass => IsBinary ? Classes[PositiveClassIndex] : null;

    /// <summary>The word vocabulary (key 0 is PAD, key 1 UNK for text input).</summary>
    public Vocabulary Vocabulary => _encoder.Vocabulary;

    /// <summary>Number of trainable values in the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>A copy of the options the model was trained with.</summary>
    public RecurrentTextClassifierOptions Options => _options.Clone();

    internal Vocabulary ClassVocabulary { get; }

    internal int PositiveClassIndex { get; }

    internal TextInputEncoder Encoder => _encoder;

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        bool keyInput = TextInputEncoder.CheckColumn(inputSchema, _options.TextColumnName, nameof(TextClassifierTransformer));
        if (keyInput != _encoder.KeyInput)
        {
            throw new ArgumentException(
                $"{nameof(TextClassifierTransformer)}: column \"{_options.TextColumnName}\" is {inputSchema[_options.TextColumnName].Type}, but the model was trained on {(_encoder.KeyInput ? "key vectors" : "Text")}.",
                nameof(inputSchema));
        }

        return OutputSchema(inputSchema, _options, _labelType, IsBinary);
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        return new TextClassifierDataView(input, GetOutputSchema(input.Schema), this);
    }

    /// <summary>The tokens the model reads for <paramref name="text"/> (after lowercasing, tokenising and truncating as
    /// trained); tokens outside <see cref="Vocabulary"/> become UNK.</summary>
    /// <param name="text">A text.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="InvalidOperationException">The model reads key vectors, not text.</exception>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _encoder.KeyInput ? throw new InvalidOperationException("This model reads key vectors, not text.") : _encoder.Tokenize(text);
    }

    /// <summary>Scores key sequences (already encoded) in batches.</summary>
    internal (float[][] Scores, float[][]? Weights) Score(IReadOnlyList<long[]> sequences)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        return ClassifierInference.Predict(_network, sequences, _options.PredictionBatchSize, _device,
            withWeights: _options.Pooling == TimePooling.Attention);
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectDisposedException.ThrowIf(_disposed, this);
        context.WriteOptions(new SavedState(_options, _encoder.KeyInput, PositiveClassIndex));
        context.WriteVocabulary("words", _encoder.Vocabulary);
        context.WriteVocabulary("classes", ClassVocabulary);
        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using var noGrad = no_grad();
        context.WriteTensors(_network.state_dict());
    }

    /// <summary>Rebuilds a saved classifier (see <see cref="ModelArchive"/>).</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The classifier, on the context's device.</returns>
    public static TextClassifierTransformer Load(ComponentLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SavedState saved = context.ReadOptions<SavedState>();
        RecurrentTextClassifierOptions options = saved.Options ?? throw new ModelFormatException($"{context.Source}: classifier options are missing.");
        options.Validate();
        Vocabulary words = context.ReadVocabulary("words");
        Vocabulary classes = context.ReadVocabulary("classes");
        Device device = context.Device ?? CPU;
        // The initial values are overwritten by the saved weights; a fixed seed keeps the global generator untouched.
        var network = new TextClassifierNetwork(words.EmbeddingRows, (int)classes.Count, options, seed: 0);
        try
        {
            Dictionary<string, Tensor> state = context.ReadTensors();
            try
            {
                StateDictionaries.Load(network, state, nameof(TextClassifierNetwork));
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException($"{context.Source}: the classifier's weights do not fit its options: {e.Message}", e);
            }
            finally
            {
                foreach (Tensor tensor in state.Values)
                {
                    tensor.Dispose();
                }
            }

            network.to(device);
            return new TextClassifierTransformer(options, words, saved.KeyInput, classes, saved.PositiveClassIndex, network, device, history: null);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Frees the network's weights.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _network.Dispose();
        }
    }

    internal static SequenceSchema OutputSchema(SequenceSchema inputSchema, RecurrentTextClassifierOptions options, KeyColumnType labelType, bool? binary)
    {
        SequenceSchema schema = inputSchema
            .With(new SchemaColumn(options.PredictedLabelColumnName, labelType))
            .With(new SchemaColumn(options.ScoreColumnName, new VectorColumnType(NumberColumnType.Float32, (int)labelType.Count)));
        if (binary != false)
        {
            schema = schema.With(new SchemaColumn(options.ProbabilityColumnName, NumberColumnType.Float32));
        }

        if (options.Pooling == TimePooling.Attention)
        {
            schema = schema.With(new SchemaColumn(options.AttentionWeightsColumnName, new VectorColumnType(NumberColumnType.Float32)));
        }

        return schema;
    }

    /// <summary>What the manifest holds for a classifier besides its vocabularies and weights.</summary>
    internal sealed record SavedState(RecurrentTextClassifierOptions Options, bool KeyInput, int PositiveClassIndex);
}
