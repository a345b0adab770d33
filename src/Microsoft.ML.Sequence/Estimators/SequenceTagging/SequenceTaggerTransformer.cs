using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(SequenceTaggerTransformer), null, typeof(SignatureLoadModel), "Recurrent sequence tagger",
    SequenceTaggerTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>A trained sequence tagger (from <see cref="RecurrentSequenceTagger"/>): adds one predicted tag per token and
/// the per-token tag distributions to rows with a tokens column, scoring sentences in batches.</summary>
/// <remarks>
/// <para>Output columns: <see cref="RecurrentSequenceTaggerOptions.PredictedLabelColumnName"/> (a variable-length vector
/// of keys, as long as the row's tokens, with the tags as key values: <c>MapKeyToValue</c> turns it into tag strings) and
/// <see cref="RecurrentSequenceTaggerOptions.ScoreColumnName"/> (a variable-length vector of Single of tokens ×
/// <see cref="TagNames"/>.Count values, token by token: the softmax probabilities, or the CRF marginals, which sum to 1
/// per token). A row with no tokens gets empty vectors. The tokens column may hold Text or keys (read as their key
/// values), whichever the model was trained on.</para>
/// <para><see cref="Transform"/> is lazy: a cursor scores <see cref="RecurrentSequenceTaggerOptions.PredictionBatchSize"/>
/// rows per forward pass as it moves. <c>mlContext.Model.CreatePredictionEngine</c> scores one row per call through the
/// same code, so both give the same numbers for the same row.</para>
/// <para><c>mlContext.Model.Save</c> stores every option, the word, character and tag vocabularies and the weights
/// (safetensors, PyTorch names), each entry with its SHA-256; <c>mlContext.Model.Load</c> rebuilds the model in any
/// process that can load this assembly (a model saved by a newer Microsoft.ML.Sequence does not load in an older one).
/// Dispose the transformer to free the weights.</para>
/// </remarks>
public sealed class SequenceTaggerTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MlSequenceTagger";
    private const string Kind = "Sequence.RecurrentSequenceTagger";
    private const int KindVersion = 1;
    private readonly RecurrentSequenceTaggerOptions _options;
    private readonly TaggerVocabularies _vocabularies;
    private readonly TaggerNetwork _network;
    private readonly Device _device;
    private bool _disposed;

    internal SequenceTaggerTransformer(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies,
        TaggerNetwork network, Device device, TrainingHistory? history)
    {
        _options = options.Clone();
        _options.ValidationSet = null;
        _options.Progress = null;
        _options.CancellationToken = default;
        _options.StopToken = default;
        _vocabularies = vocabularies;
        _network = network;
        _device = device;
        History = history;
        _network.eval();
    }

    /// <summary>The tags the model predicts, in key order (tag key k is element k − 1, and score index k − 1 of each token).</summary>
    public IReadOnlyList<string> TagNames => _vocabularies.Tags.Values;

    /// <summary>The settings the model was trained with (a copy; <see cref="RecurrentSequenceTaggerOptions.ValidationSet"/>,
    /// <see cref="RecurrentSequenceTaggerOptions.Progress"/> and <see cref="RecurrentSequenceTaggerOptions.CancellationToken"/>
    /// are not kept).</summary>
    public RecurrentSequenceTaggerOptions Options => _options.Clone();

    /// <summary>Word vocabulary (PAD key 0, UNK key 1).</summary>
    public Vocabulary WordVocabulary => _vocabularies.Words;

    /// <summary>Character vocabulary (PAD key 0, UNK key 1) of the character encoder.</summary>
    public Vocabulary CharacterVocabulary => _vocabularies.Characters;

    /// <summary>Tag vocabulary: the label's key values (key k is score index k − 1).</summary>
    public Vocabulary TagVocabulary => _vocabularies.Tags;

    /// <summary>Per-epoch training loss and validation figures, or null for a loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>Trainable parameters of the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>Always true: the model maps each row on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    internal TaggerNetwork Network => _network;

    internal TaggerVocabularies Vocabularies => _vocabularies;

    /// <summary>The input schema plus the model's output columns.</summary>
    /// <param name="inputSchema">The schema of the data to tag.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The tokens column is missing or not a vector of Text or keys.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds the model's columns to <paramref name="input"/>, lazily; rows are tagged in batches as a cursor moves.</summary>
    /// <param name="input">The data to tag.</param>
    /// <returns>The scored view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The tokens column is missing or not a vector of Text or keys.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to tag.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>Predicted tag classes and flattened per-token distributions of each sentence, in input order.</summary>
    internal TaggerPrediction[] Predict(IReadOnlyList<EncodedSentence> sentences)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        (long[][] tags, float[][] scores) = Predict(_network, sentences, _options, _device, out _);
        return tags.Select((t, i) => new TaggerPrediction(t, scores[i])).ToArray();
    }

    internal static (long[][] Tags, float[][] Scores) Predict(TaggerNetwork network, IReadOnlyList<EncodedSentence> sentences,
        RecurrentSequenceTaggerOptions options, Device device, out double lossSum)
    {
        int tagCount = network.TagCount;
        var tags = new long[sentences.Count][];
        var scores = new float[sentences.Count][];
        lossSum = 0;
        int[] order = Enumerable.Range(0, sentences.Count).Where(i => sentences[i].Length > 0)
            .OrderBy(i => sentences[i].Length).ToArray();
        for (int i = 0; i < sentences.Count; i++)
        {
            if (sentences[i].Length == 0)
            {
                (tags[i], scores[i]) = ([], []);
            }
        }

        bool withTargets = sentences.Count > 0 && sentences.All(s => s.Tags is not null);
        using var noGrad = no_grad();
        foreach (int[] chunk in order.Chunk(options.PredictionBatchSize))
        {
            using var scope = NewDisposeScope();
            EncodedSentence[] batch = chunk.Select(i => sentences[i]).ToArray();
            TaggerBatchTensors tensors = TaggerBatchTensors.Create(batch, options.UseCharacterEncoder, withTargets, device);
            Tensor emissions = network.call(tensors);
            if (withTargets)
            {
                lossSum += network.Loss(emissions, tensors).ToDouble() * batch.Length;
            }

            (IReadOnlyList<long[]> predicted, float[] flat) = network.Predict(emissions, tensors);
            long steps = emissions.shape[1];
            for (int row = 0; row < chunk.Length; row++)
            {
                int length = batch[row].Length;
                tags[chunk[row]] = predicted[row];
                scores[chunk[row]] = flat.AsSpan((int)(row * steps * tagCount), length * tagCount).ToArray();
            }
        }

        return (tags, scores);
    }

    /// <summary>Frees the network's native memory.</summary>
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(_options);
        component.WriteVocabulary("words", _vocabularies.Words);
        component.WriteVocabulary("characters", _vocabularies.Characters);
        component.WriteVocabulary("tags", _vocabularies.Tags);
        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using (no_grad())
        {
            component.WriteTensors(_network.state_dict());
        }

        ComponentPersistence.Save(ctx, VersionInfo(), component);
    }

    internal static SchemaShape.Column[] OutputShape(RecurrentSequenceTaggerOptions options, SchemaShape.Column label)
    {
        SchemaShape keyValues = new(label.Annotations.Where(a => a.Name == RowReaders.KeyValuesKind));
        return
        [
            MlNetInternals.CreateColumn(options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.UInt32, true, keyValues),
            MlNetInternals.CreateColumn(options.ScoreColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false),
        ];
    }

    private SequenceTaggerMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SequenceTaggerMapper(this, inputSchema);
    }

    private static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("RNNSQTAG", 0x00010001, 0x00010001, 0x00010001, typeof(SequenceTaggerTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static SequenceTaggerTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        RecurrentSequenceTaggerOptions options = context.ReadOptions<RecurrentSequenceTaggerOptions>()
            ?? throw new ModelFormatException($"{Kind}: the tagger's options are missing.");
        context.CheckOptions(options.Validate);

        var vocabularies = new TaggerVocabularies(context.ReadVocabulary("words"), context.ReadVocabulary("characters"),
            context.ReadVocabulary("tags"), options.LowercaseWords, options.MaxWordCharacters);
        if (vocabularies.TagCount < 1)
        {
            throw new ModelFormatException($"{Kind}: the model lists no tags.");
        }

        Device device = TrainingEnvironment.SelectDevice(env, LoaderSignature);

        // A fixed local generator: the initial values are overwritten, and no global generator is touched.
        TaggerNetwork network = context.LoadNetwork(new TaggerNetwork(options, vocabularies, new Generator(0, CPU)), "tagger", device);
        return new SequenceTaggerTransformer(options, vocabularies, network, device, history: null);
    }
}
