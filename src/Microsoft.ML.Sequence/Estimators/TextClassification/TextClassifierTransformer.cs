using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(TextClassifierTransformer), null, typeof(SignatureLoadModel), "Recurrent text classifier",
    TextClassifierTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>A fitted recurrent text classifier: adds ML.NET's prediction columns, scoring rows in batches.</summary>
/// <remarks>
/// <para>As with every ML.NET model, disposing a prediction engine made from it disposes the model too (ML.NET 5
/// disposes the transformer with the engine).</para>
/// <para>Multiclass models add <c>PredictedLabel</c> (a key with the label's key values; <c>MapKeyToValue</c> turns it
/// back into the label's values) and <c>Score</c> (Vector&lt;Single, K&gt; of probabilities in key order, summing to 1,
/// slots named by the classes). Binary models add <c>Score</c> (the raw margin, logit(true) − logit(false)),
/// <c>Probability</c> (of true) and <c>PredictedLabel</c> (Boolean, Probability &gt; 0.5). Attention pooling adds
/// <c>AttentionWeights</c> (one weight per token read). These are the columns ML.NET's <c>Evaluate</c> and
/// <c>CrossValidate</c> read.</para>
/// <para><see cref="Transform"/> is lazy: a cursor scores <see cref="RecurrentTextClassifierOptions.PredictionBatchSize"/>
/// rows per forward pass as it moves. <c>mlContext.Model.CreatePredictionEngine</c> scores one row per call through the
/// same code, so both give the same numbers for the same row.</para>
/// <para><c>mlContext.Model.Save</c> stores every option, the vocabularies and the weights (safetensors, PyTorch names),
/// each entry with its SHA-256; <c>mlContext.Model.Load</c> rebuilds the model in any process that can load this
/// assembly (a model saved by a newer Microsoft.ML.Sequence does not load in an older one). Dispose the transformer to
/// free the weights.</para>
/// </remarks>
public sealed class TextClassifierTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MlSequenceTextClassifier";
    internal const string Kind = "Sequence.RecurrentTextClassifier";
    internal const int KindVersion = 1;
    private readonly RecurrentTextClassifierOptions _options;
    private readonly TextClassifierNetwork _network;
    private readonly Device _device;
    private bool _disposed;

    internal TextClassifierTransformer(RecurrentTextClassifierOptions options, bool binary, Vocabulary words,
        TextInputKind inputKind, IReadOnlyList<string> classes, TextClassifierNetwork network, Device device, TrainingHistory? history)
    {
        _options = options;
        IsBinary = binary;
        _network = network;
        Encoder = new TextInputEncoder(options, words, inputKind);
        Classes = classes;
        _device = device;
        History = history;
        _network.eval();
    }

    /// <summary>Per-epoch losses and validation figures of the <c>Fit</c> that made this model; null for a loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>The classes in key order (key k is element k − 1): the label's key values, or False/True for binary models.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>True for a binary model (Boolean label and <c>PredictedLabel</c>, margin <c>Score</c>, <c>Probability</c>).</summary>
    public bool IsBinary { get; }

    /// <summary>The word vocabulary (key 0 is PAD; for text input key 1 is UNK).</summary>
    public Vocabulary Vocabulary => Encoder.Vocabulary;

    /// <summary>Number of trainable values in the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>A copy of the options the model was trained with.</summary>
    public RecurrentTextClassifierOptions Options => _options.Clone();

    /// <summary>Always true: the model maps each row on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    internal TextInputEncoder Encoder { get; }

    /// <summary>The input schema plus the model's output columns.</summary>
    /// <param name="inputSchema">The schema of the data to score.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The text column is missing or not what the model was trained on.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds the model's columns to <paramref name="input"/>, lazily; rows are scored in batches as a cursor moves.</summary>
    /// <param name="input">The data to score.</param>
    /// <returns>The scored view.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to score.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>The tokens the model reads for <paramref name="text"/> (lowercased, tokenised and truncated as trained);
    /// tokens outside <see cref="Vocabulary"/> become UNK.</summary>
    /// <param name="text">A text.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="InvalidOperationException">The model reads keys, not text.</exception>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encoder.Kind == TextInputKind.Keys ? throw new InvalidOperationException("This model reads key vectors, not text.") : Encoder.Tokenize(text);
    }

    /// <summary>Scores key sequences (already encoded) in batches.</summary>
    internal ClassifierPrediction[] Score(IReadOnlyList<long[]> sequences)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        return ClassifierInference.Predict(_network, sequences, _options.PredictionBatchSize, _device,
            withWeights: _options.Pooling == TimePooling.Attention);
    }

    /// <summary>The encoder's state at every position of one encoded row: [position][unit].</summary>
    internal float[][] HiddenStates(long[] keys)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        _network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor states = _network.EncoderStates(tensor(keys, device: _device).unsqueeze(0), [keys.Length]).squeeze(0);
        int units = (int)states.shape[1];
        float[] flat = TensorValues.ToArray<float>(states);
        return Enumerable.Range(0, keys.Length).Select(t => flat.AsSpan(t * units, units).ToArray()).ToArray();
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

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ComponentPersistence.Save(ctx, VersionInfo(), ToComponent());
    }

    /// <summary>Everything a saved model holds: options, vocabularies and weights.</summary>
    internal ComponentSaveContext ToComponent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(new SavedState(_options, IsBinary, Encoder.Kind));
        component.WriteVocabulary("words", Encoder.Vocabulary);
        component.WriteVocabulary("classes", new Vocabulary(Classes));
        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using (no_grad())
        {
            component.WriteTensors(_network.state_dict());
        }

        return component;
    }

    internal static SchemaShape.Column[] OutputShape(RecurrentTextClassifierOptions options, bool binary, SchemaShape.Column label)
    {
        var columns = new List<SchemaShape.Column>();
        if (binary)
        {
            columns.Add(MlNetInternals.CreateColumn(options.ScoreColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false));
            columns.Add(MlNetInternals.CreateColumn(options.ProbabilityColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false));
            columns.Add(MlNetInternals.CreateColumn(options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false));
        }
        else
        {
            SchemaShape keyValues = new(label.Annotations.Where(a => a.Name == RowReaders.KeyValuesKind));
            SchemaShape slotNames = new([MlNetInternals.CreateColumn(RowReaders.SlotNamesKind, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
            columns.Add(MlNetInternals.CreateColumn(options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, keyValues));
            columns.Add(MlNetInternals.CreateColumn(options.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, slotNames));
        }

        if (options.Pooling == TimePooling.Attention)
        {
            columns.Add(MlNetInternals.CreateColumn(options.AttentionWeightsColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false));
        }

        return columns.ToArray();
    }

    private TextClassifierMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new TextClassifierMapper(this, inputSchema);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("RNNTXTCL", 0x00010001, 0x00010001, 0x00010001, typeof(TextClassifierTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static TextClassifierTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        SavedState saved = context.ReadOptions<SavedState>();
        RecurrentTextClassifierOptions options = saved.Options ?? throw new ModelFormatException($"{Kind}: the classifier's options are missing.");
        context.CheckOptions(options.Validate);

        Vocabulary words = context.ReadVocabulary("words");
        Vocabulary classes = context.ReadVocabulary("classes");
        if (classes.Count < 2 || (saved.Binary && classes.Count != 2))
        {
            throw new ModelFormatException($"{Kind}: the model lists {classes.Count} classes.");
        }

        Device device = TrainingEnvironment.SelectDevice(env, LoaderSignature);

        // The initial values are overwritten by the saved weights; a fixed seed keeps the global generator untouched.
        TextClassifierNetwork network = context.LoadNetwork(
            new TextClassifierNetwork(words.EmbeddingRows, (int)classes.Count, options, seed: 0), "classifier", device);
        return new TextClassifierTransformer(options, saved.Binary, words, saved.InputKind, classes.Values, network, device, history: null);
    }

    /// <summary>What the settings hold for a classifier besides its vocabularies and weights.</summary>
    internal sealed record SavedState(RecurrentTextClassifierOptions Options, bool Binary, TextInputKind InputKind);
}
