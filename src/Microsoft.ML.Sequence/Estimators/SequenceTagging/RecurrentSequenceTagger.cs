using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Embeddings;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>Trains a sequence tagger (part-of-speech tags, named entities, chunks): word embeddings and a character-level
/// word encoder → stacked bidirectional LSTM → softmax or CRF; see <see cref="RecurrentSequenceTaggerOptions"/>. Made by
/// <c>mlContext.MulticlassClassification.Trainers.RecurrentSequenceTagger</c>.</summary>
/// <remarks>
/// <para><b>Input columns</b>: <see cref="RecurrentSequenceTaggerOptions.TokensColumnName"/> (a vector of Text or of
/// keys) and <see cref="RecurrentSequenceTaggerOptions.LabelColumnName"/> (a vector of keys from <c>MapValueToKey</c>,
/// one per token; the tags are all its key values, in key order). <b>Output columns</b> of the fitted
/// <see cref="SequenceTaggerTransformer"/>: <c>PredictedLabel</c> (a vector of keys with the label's key values, one per
/// token) and <c>Score</c> (the per-token tag distributions, flattened token by token).</para>
/// <para><c>Fit</c> validates the options and works on a copy; builds the word and character vocabularies from the
/// training rows; batches sentences of similar length (<see cref="LengthBucketBatcher"/>, a new order every epoch);
/// trains with the shared training loop (gradient clipping, validation over the whole validation set after every
/// epoch — token accuracy, span F1 by conlleval's rules and loss —, early stopping with best-weight restore, progress to
/// <c>mlContext.Log</c> and <see cref="RecurrentSequenceTaggerOptions.Progress"/>, cancellation before every batch).</para>
/// <para><b>Determinism</b>: initialisation, dropout, the validation split and the batch order all derive from one seed
/// (<see cref="RecurrentSequenceTaggerOptions.Seed"/>, or drawn from the <c>MLContext</c>), so two contexts with the
/// same seed that fit the same data give bit-identical weights (on the CPU).</para>
/// <para>Rows with no tokens are skipped in training (and logged); they get empty predictions.</para>
/// </remarks>
public sealed class RecurrentSequenceTagger : IEstimator<SequenceTaggerTransformer>
{
    private const string Component = nameof(RecurrentSequenceTagger);
    private readonly IHostEnvironment _environment;
    private readonly RecurrentSequenceTaggerOptions _options;

    internal RecurrentSequenceTagger(IHostEnvironment environment, RecurrentSequenceTaggerOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateForTraining();
        _options = options.Clone();
    }

    /// <summary>A copy of the options this estimator trains with.</summary>
    public RecurrentSequenceTaggerOptions Options => _options.Clone();

    /// <summary>The input schema plus the tagger's output columns.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The tokens or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TaggerColumns.FindTokens(inputSchema, _options.TokensColumnName, Component);
        SchemaShape.Column label = TaggerColumns.FindLabel(inputSchema, _options.LabelColumnName, Component);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (SchemaShape.Column column in SequenceTaggerTransformer.OutputShape(_options, label))
        {
            columns[column.Name] = column;
        }

        return new SchemaShape(columns.Values);
    }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Rows with the tokens and label columns (of equal length per row).</param>
    /// <returns>The trained tagger, with its <see cref="SequenceTaggerTransformer.History"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="ArgumentException">The data holds no tokens, a row has a different number of tokens and tags,
    /// or a training tag is missing (key 0); the message names the row (and the position).</exception>
    /// <exception cref="OperationCanceledException"><see cref="RecurrentSequenceTaggerOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The context asks for a GPU that is missing, without fallback.</exception>
    public SequenceTaggerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        RecurrentSequenceTaggerOptions options = _options.Clone();
        TaggerColumns.FindTokens(input.Schema, options.TokensColumnName, Component);
        DataViewSchema.Column labelColumn = TaggerColumns.FindLabel(input.Schema, options.LabelColumnName, Component);
        string[] classes = RowReaders.KeyValues(labelColumn);
        if (options.ValidationSet is IDataView validationSet)
        {
            CheckValidationSet(validationSet.Schema, options, classes);
        }

        using TrainingEnvironment environment = TrainingEnvironment.Open(_environment, Component, options.Seed);
        foreach (string warning in options.NoEffectWarnings())
        {
            environment.Log.Warning(warning);
        }

        CancellationToken token = options.CancellationToken;
        var seeds = new Random(environment.Seed);
        int splitSeed = seeds.Next(), batchSeed = seeds.Next(), initSeed = seeds.Next();
        TaggedRows all = Read(input, options, "training", token);
        TaggedRows train = all;
        TaggedRows? held = null;
        if (options.ValidationSet is IDataView validation)
        {
            held = Read(validation, options, "validation", token);
        }
        else if (options.ValidationFraction > 0)
        {
            (train, held) = all.Split(options.ValidationFraction, splitSeed);
        }

        int[] trainRows = Enumerable.Range(0, train.Count).Where(i => train.Tokens[i].Length > 0).ToArray();
        if (trainRows.Length == 0)
        {
            throw new ArgumentException($"{Component}: the training data has no tokens in column '{options.TokensColumnName}'.", nameof(input));
        }

        if (trainRows.Length < train.Count)
        {
            environment.Log.Info($"{train.Count - trainRows.Length} training rows without tokens are skipped.");
        }

        TaggerVocabularies vocabularies = TaggerVocabularies.Build(trainRows.Select(i => train.Tokens[i]).ToArray(), new Vocabulary(classes), options);
        EncodedSentence[] encodedTrain = trainRows.Select(i => vocabularies.Encode(train.Tokens[i], train.Tags[i])).ToArray();
        EncodedSentence[]? encodedHeld = held?.Tokens.Select((t, i) => vocabularies.Encode(t, held.Tags[i])).ToArray();
        environment.Log.Info(
            $"{encodedTrain.Length} training sentences, {encodedHeld?.Length ?? 0} validation; vocabularies: {vocabularies.Words.Count} words, " +
            $"{vocabularies.Characters.Count} characters, {vocabularies.TagCount} tags; device {environment.Device}.");

        Device device = environment.Device;
        var network = new TaggerNetwork(options, vocabularies, new Generator((ulong)(uint)initSeed, CPU));
        try
        {
            network.to(device);
            LoadPretrainedVectors(options, vocabularies, network, environment.Log);
            var progress = new LoggedProgress(environment.Log, options.Progress);
            TrainingHistory history = Train(network, options, encodedTrain, encodedHeld, vocabularies, batchSeed, device, progress, token);
            return new SequenceTaggerTransformer(options, vocabularies, network, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void CheckValidationSet(DataViewSchema schema, RecurrentSequenceTaggerOptions options, string[] classes)
    {
        const string component = Component + " (ValidationSet)";
        TaggerColumns.FindTokens(schema, options.TokensColumnName, component);
        DataViewSchema.Column label = TaggerColumns.FindLabel(schema, options.LabelColumnName, component);
        if (!RowReaders.KeyValues(label).SequenceEqual(classes))
        {
            throw new ArgumentException(
                $"{Component}: ValidationSet's label column '{options.LabelColumnName}' has other key values than the training data's; key both with the same fitted MapValueToKey.",
                nameof(options));
        }
    }

    private static TrainingHistory Train(TaggerNetwork network, RecurrentSequenceTaggerOptions options, EncodedSentence[] train,
        EncodedSentence[]? validation, TaggerVocabularies vocabularies, int batchSeed, Device device, IProgress<TrainingProgress> progress,
        CancellationToken cancellationToken)
    {
        var batcher = new LengthBucketBatcher(train.Select(s => s.Length).ToArray(),
            new LengthBucketBatcherOptions { BatchSize = options.BatchSize }, batchSeed);
        using optim.Optimizer optimizer = OptimizerFactory.Create(options.Optimizer, network.parameters().Where(p => p.requires_grad), options.LearningRate);
        var loop = new TrainingLoop<TaggerTrainingBatch>
        {
            Model = network,
            Optimizer = optimizer,
            GradientClipNorm = options.GradientClipNorm,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = options.EarlyStopping,
            WeightAverageDecay = options.WeightAverageDecay,
            SelectionMetric = ValidationMetric.Accuracy,
            Progress = progress,
            CancellationToken = cancellationToken,
            StopToken = options.StopToken,
        };

        Func<ValidationResult>? validate = validation is null || validation.Length == 0 ? null : () =>
        {
            (long[][] predicted, _) = SequenceTaggerTransformer.Predict(network, validation, options, device, out double lossSum);
            return TaggerValidation.Score(validation, predicted, vocabularies, lossSum / validation.Length);
        };

        return loop.Run(
            epoch => batcher.GetBatches(epoch - 1).Select(rows => new TaggerTrainingBatch(rows, train)).ToArray(),
            batch => network.Loss(TaggerBatchTensors.Create(batch.Rows.Select(r => train[r]).ToArray(), options.UseCharacterEncoder, targets: true, device)),
            validate);
    }

    private static void LoadPretrainedVectors(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, TaggerNetwork network,
        MlNetLog log)
    {
        if (options.PretrainedVectorsPath is null)
        {
            return;
        }

        var keys = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string word in vocabularies.Words.OrdinaryValues)
        {
            keys[word] = vocabularies.Words.GetKey(word);
        }

        PretrainedVectorsReport report = PretrainedEmbeddings.Load(options.PretrainedVectorsPath, keys, network.WordEmbedding);
        log.Info($"Pretrained vectors: {report.MatchedWords} of {report.VocabularySize} words found ({report.Coverage:P1}) in {options.PretrainedVectorsPath}.");
    }

    /// <summary>Reads every row's tokens and tag classes (0-based). A missing tag (key 0) is an error in training rows and
    /// is ignored (<see cref="TaggerVocabularies.IgnoredTag"/>, counted wrong) in validation rows.</summary>
    private static TaggedRows Read(IDataView view, RecurrentSequenceTaggerOptions options, string part, CancellationToken token)
    {
        DataViewSchema.Column tokensColumn = view.Schema[options.TokensColumnName];
        DataViewSchema.Column labelColumn = view.Schema[options.LabelColumnName];
        bool training = part == "training";
        var tokens = new List<string[]>();
        var tags = new List<long[]>();
        using DataViewRowCursor cursor = view.GetRowCursor([tokensColumn, labelColumn]);
        Func<string[]> readTokens = TaggerColumns.TokenReader(cursor, tokensColumn);
        Func<uint[]> readTags = RowReaders.KeyVector(cursor, labelColumn);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0x3FF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            string[] words = readTokens();
            uint[] keys = readTags();
            if (keys.Length != words.Length)
            {
                throw new ArgumentException(
                    $"{Component}: {part} row {cursor.Position}: column '{tokensColumn.Name}' has {words.Length} tokens but column '{labelColumn.Name}' has {keys.Length} tags; a tagger needs one tag per token.",
                    training ? "input" : nameof(options));
            }

            var classes = new long[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] == 0 && training)
                {
                    throw new ArgumentException(
                        $"{Component}: training row {cursor.Position}, label column '{labelColumn.Name}', position {i} (token '{words[i]}'): the tag is missing (key 0: a value MapValueToKey did not know).",
                        "input");
                }

                classes[i] = keys[i] == 0 ? TaggerVocabularies.IgnoredTag : keys[i] - 1L;
            }

            tokens.Add(words);
            tags.Add(classes);
        }

        return new TaggedRows(tokens.ToArray(), tags.ToArray());
    }

    /// <summary>Sentences read from a view: tokens and 0-based tag classes.</summary>
    private sealed record TaggedRows(string[][] Tokens, long[][] Tags)
    {
        public int Count => Tokens.Length;

        /// <summary>Holds out <paramref name="fraction"/> of the rows, drawn with <paramref name="seed"/>; both parts keep
        /// the input order.</summary>
        public (TaggedRows Train, TaggedRows Held) Split(double fraction, int seed)
        {
            int[] order = Enumerable.Range(0, Count).ToArray();
            new Random(seed).Shuffle(order);
            int held = (int)Math.Round(Count * fraction);
            return (Select(order.Skip(held).Order()), Select(order.Take(held).Order()));
        }

        private TaggedRows Select(IEnumerable<int> rows)
        {
            int[] indices = rows.ToArray();
            return new(indices.Select(i => Tokens[i]).ToArray(), indices.Select(i => Tags[i]).ToArray());
        }
    }
}
