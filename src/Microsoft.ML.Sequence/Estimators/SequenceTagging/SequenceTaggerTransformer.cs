using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>A trained sequence tagger (from <see cref="RecurrentSequenceTagger"/>): adds one predicted tag per token and
/// the per-token tag distributions to rows with a token column.</summary>
/// <remarks>
/// <para>Output columns: <see cref="RecurrentSequenceTaggerOptions.PredictedTagsColumnName"/> (vector of text, as long as
/// the row's tokens) and <see cref="RecurrentSequenceTaggerOptions.ScoreColumnName"/> (float vector of tokens ×
/// <see cref="TagNames"/>.Count values, token by token: the softmax probabilities, or the CRF marginals, which sum to 1
/// per token). A row with no tokens gets empty vectors.</para>
/// <para><see cref="Transform"/> scores the rows in batches of sentences of similar length and is safe to call from
/// several threads at once. Saved models hold every option, the word, character and tag vocabularies and the weights.</para>
/// </remarks>
[PersistableComponent(ComponentKind, 1)]
public sealed class SequenceTaggerTransformer : ISequenceTransformer, IPersistableComponent, IDisposable
{
    private const string ComponentKind = "SequenceTagger";
    private readonly RecurrentSequenceTaggerOptions _options;
    private readonly TaggerVocabularies _vocabularies;
    private readonly TaggerNetwork _network;
    private readonly Device _device;
    private bool _disposed;

    internal SequenceTaggerTransformer(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, TaggerNetwork network,
        Device device, TrainingHistory? history)
    {
        _options = options;
        _vocabularies = vocabularies;
        _network = network;
        _device = device;
        History = history;
        _network.eval();
    }

    /// <summary>The tags the model predicts, in the order of the score vectors (tag key k is index k − 1).</summary>
    public IReadOnlyList<string> TagNames => _vocabularies.Tags.Values;

    /// <summary>The settings the model was trained with (a copy; <see cref="RecurrentSequenceTaggerOptions.ValidationData"/> is not kept).</summary>
    public RecurrentSequenceTaggerOptions Options
    {
        get
        {
            RecurrentSequenceTaggerOptions copy = _options.Clone();
            copy.ValidationData = null;
            return copy;
        }
    }

    /// <summary>Word vocabulary (PAD key 0, UNK key 1).</summary>
    public Vocabulary WordVocabulary => _vocabularies.Words;

    /// <summary>Character vocabulary (PAD key 0, UNK key 1) of the character encoder.</summary>
    public Vocabulary CharacterVocabulary => _vocabularies.Characters;

    /// <summary>Tag vocabulary (key k is score index k − 1).</summary>
    public Vocabulary TagVocabulary => _vocabularies.Tags;

    /// <summary>Per-epoch training loss and validation figures, or null for a loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>Trainable parameters of the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    internal TaggerNetwork Network => _network;

    internal TaggerVocabularies Vocabularies => _vocabularies;

    /// <summary>The schema <see cref="Transform"/> gives for <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">Input columns; must hold the token column as a vector of text.</param>
    /// <returns>The input columns plus the predicted-tags and score columns.</returns>
    /// <exception cref="ArgumentException">The token column is missing or not a vector of text.</exception>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TaggerColumns.RequireTextVector(inputSchema, _options.TokenColumnName, "token", nameof(RecurrentSequenceTaggerOptions.TokenColumnName));
        return inputSchema
            .With(new SchemaColumn(_options.PredictedTagsColumnName, TaggerColumns.TextVector))
            .With(new SchemaColumn(_options.ScoreColumnName, TaggerColumns.FloatVector));
    }

    /// <summary>Tags every row (in memory; batched by length).</summary>
    /// <param name="input">Rows with the token column.</param>
    /// <returns>A view with the input columns plus the predicted tags and scores.</returns>
    /// <exception cref="ArgumentException">The token column is missing or not a vector of text.</exception>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        SequenceSchema schema = GetOutputSchema(input.Schema);
        int tokenIndex = input.Schema.IndexOf(_options.TokenColumnName);
        var buffers = input.Schema.Select(c => ColumnBuffer.Create(c.Type.ClrType)).ToArray();
        var sentences = new List<EncodedSentence>();
        using (DataCursor cursor = input.GetCursor())
        {
            while (cursor.MoveNext())
            {
                for (int i = 0; i < buffers.Length; i++)
                {
                    buffers[i].Append(cursor, i);
                }

                sentences.Add(_vocabularies.Encode(cursor.GetValue<string[]>(tokenIndex) ?? [], null));
            }
        }

        (long[][] tags, float[][] scores) = Predict(sentences);
        var columns = new Array[schema.Count];
        for (int i = 0; i < buffers.Length; i++)
        {
            columns[i] = buffers[i].ToArray();
        }

        columns[schema.IndexOf(_options.PredictedTagsColumnName)] = tags.Select(row => row.Select(_vocabularies.TagName).ToArray()).ToArray();
        columns[schema.IndexOf(_options.ScoreColumnName)] = scores;
        return SequenceDataView.FromColumns(schema, columns);
    }

    /// <summary>Predicted tag classes and flattened per-token distributions of each sentence, in input order.</summary>
    internal (long[][] Tags, float[][] Scores) Predict(IReadOnlyList<EncodedSentence> sentences) =>
        Predict(_network, sentences, _options, _device, out _);

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

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectDisposedException.ThrowIf(_disposed, this);
        context.WriteOptions(Options);
        context.WriteVocabulary("words", _vocabularies.Words);
        context.WriteVocabulary("characters", _vocabularies.Characters);
        context.WriteVocabulary("tags", _vocabularies.Tags);
        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using var noGrad = no_grad();
        context.WriteTensors(_network.state_dict());
    }

    /// <summary>Reads a tagger written by <see cref="Save"/>.</summary>
    /// <param name="context">The component's entry in a model file.</param>
    /// <returns>The tagger, on the context's device.</returns>
    /// <exception cref="ModelFormatException">Options, a vocabulary or a weight is missing or has the wrong shape.</exception>
    public static SequenceTaggerTransformer Load(ComponentLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RecurrentSequenceTaggerOptions options = context.ReadOptions<RecurrentSequenceTaggerOptions>();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{context.Source}: the tagger's saved options are invalid: {e.Message}", e);
        }

        var vocabularies = new TaggerVocabularies(context.ReadVocabulary("words"), context.ReadVocabulary("characters"),
            context.ReadVocabulary("tags"), options.LowercaseWords, options.MaxWordCharacters);
        Device device = context.Device ?? CPU;
        // A fixed local generator: the initial values are overwritten, and no global generator is touched.
        var network = new TaggerNetwork(options, vocabularies, new Generator(0, CPU));
        try
        {
            network.to(device);
            Dictionary<string, Tensor> state = context.ReadTensors();
            try
            {
                StateDictionaries.Load(network, state, nameof(TaggerNetwork));
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException($"{context.Source}: the tagger's weights do not fit its options: {e.Message}", e);
            }
            finally
            {
                foreach (Tensor t in state.Values)
                {
                    t.Dispose();
                }
            }
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return new SequenceTaggerTransformer(options, vocabularies, network, device, history: null);
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
}
