using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Embeddings;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>Trains a sequence tagger (part-of-speech tags, named entities, chunks): word embeddings and a character-level
/// word encoder → stacked bidirectional LSTM → softmax or CRF; see <see cref="RecurrentSequenceTaggerOptions"/>.</summary>
/// <remarks>
/// <para><c>Fit</c> validates the options and works on a copy; builds the word, character and tag vocabularies from the
/// training rows; batches sentences of similar length (<see cref="LengthBucketBatcher"/>, a new order every epoch);
/// trains with the shared training loop (gradient clipping, validation over the whole validation set after every
/// epoch, early stopping with best-weight restore, progress reports, cancellation before every batch).</para>
/// <para>Determinism: initialisation, dropout, the validation split and the batch order all derive from the context's
/// seed, so two contexts with the same seed that fit the same data give bit-identical weights (on the CPU).</para>
/// <para>Rows with no tokens are skipped in training (and logged); they get empty predictions.</para>
/// </remarks>
public sealed class RecurrentSequenceTagger : ISequenceEstimator<SequenceTaggerTransformer>
{
    private const string LogSource = nameof(RecurrentSequenceTagger);
    private readonly SequenceContext _context;
    private readonly RecurrentSequenceTaggerOptions _options;

    /// <summary>Creates the estimator.</summary>
    /// <param name="context">Seed, device, log and default cancellation.</param>
    /// <param name="options">Settings; validated now and copied, so later changes do not affect this estimator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public RecurrentSequenceTagger(SequenceContext context, RecurrentSequenceTaggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _context = context;
        _options = options.Clone();
    }

    /// <summary>The estimator's settings (a copy).</summary>
    public RecurrentSequenceTaggerOptions Options => _options.Clone();

    /// <summary>The schema the fitted transformer gives for <paramref name="inputSchema"/>.</summary>
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

    /// <summary>Trains on <paramref name="input"/>, cancelled by the context's token.</summary>
    /// <param name="input">Rows with the token and tag columns.</param>
    /// <returns>The trained tagger.</returns>
    public SequenceTaggerTransformer Fit(ISequenceDataView input) => Fit(input, null, _context.CancellationToken);

    /// <summary>Trains on <paramref name="input"/>, reporting progress.</summary>
    /// <param name="input">Rows with the token and tag columns (vectors of text of equal length per row).</param>
    /// <param name="progress">Receives step and epoch reports on the training thread, or null.</param>
    /// <param name="cancellationToken">Checked before every batch; cancelling throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The trained tagger, with its <see cref="SequenceTaggerTransformer.History"/>.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type (the message names it), or the data
    /// holds no tokens.</exception>
    /// <exception cref="InvalidDataException">A row has a different number of tokens and tags (row named).</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public SequenceTaggerTransformer Fit(ISequenceDataView input, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        _options.Validate();
        RecurrentSequenceTaggerOptions options = _options.Clone();
        foreach (string warning in options.NoEffectWarnings())
        {
            _context.WriteLog(SequenceLogLevel.Warning, LogSource, warning);
        }

        (List<string[]> tokens, List<string[]> tags) = Read(input, options, "training", cancellationToken);
        List<string[]>? validationTokens = null, validationTags = null;
        if (options.ValidationData is not null)
        {
            (validationTokens, validationTags) = Read(options.ValidationData, options, "validation", cancellationToken);
        }
        else if (options.ValidationFraction > 0)
        {
            (tokens, tags, validationTokens, validationTags) = Split(tokens, tags, options.ValidationFraction, _context.NextSeed());
        }

        int[] trainRows = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].Length > 0).ToArray();
        if (trainRows.Length == 0)
        {
            throw new ArgumentException($"The training data has no tokens in column \"{options.TokenColumnName}\".", nameof(input));
        }

        if (trainRows.Length < tokens.Count)
        {
            _context.WriteLog(SequenceLogLevel.Information, LogSource, $"{tokens.Count - trainRows.Length} training rows without tokens are skipped.");
        }

        TaggerVocabularies vocabularies = TaggerVocabularies.Build(trainRows.Select(i => tokens[i]).ToArray(), trainRows.Select(i => tags[i]).ToArray(), options);
        EncodedSentence[] train = trainRows.Select(i => vocabularies.Encode(tokens[i], tags[i])).ToArray();
        EncodedSentence[]? validation = validationTokens?.Select((t, i) => vocabularies.Encode(t, validationTags![i])).ToArray();
        _context.WriteLog(SequenceLogLevel.Information, LogSource,
            $"{train.Length} training sentences, {validation?.Length ?? 0} validation; vocabularies: {vocabularies.Words.Count} words, " +
            $"{vocabularies.Characters.Count} characters, {vocabularies.TagCount} tags.");

        Device device = _context.Device;
        var network = new TaggerNetwork(options, vocabularies, _context.CreateGenerator(CPU));
        try
        {
            network.to(device);
            LoadPretrainedVectors(options, vocabularies, network);
            TrainingHistory history = Train(network, options, train, validation, validationTags, vocabularies, device, progress, cancellationToken);
            return new SequenceTaggerTransformer(options, vocabularies, network, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private TrainingHistory Train(TaggerNetwork network, RecurrentSequenceTaggerOptions options, EncodedSentence[] train,
        EncodedSentence[]? validation, List<string[]>? validationTags, TaggerVocabularies vocabularies, Device device,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var batcher = new LengthBucketBatcher(train.Select(s => s.Length).ToArray(),
            new LengthBucketBatcherOptions { BatchSize = options.BatchSize }, _context.NextSeed());
        using optim.Optimizer optimizer = CreateOptimizer(options, network);
        var loop = new TrainingLoop<TaggerTrainingBatch>
        {
            Model = network,
            Optimizer = optimizer,
            GradientClipNorm = options.GradientClipNorm,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = options.EarlyStopping,
            SelectionMetric = ValidationMetric.Accuracy,
            Progress = progress,
            CancellationToken = cancellationToken,
        };

        Func<ValidationResult>? validate = validation is null || validation.Length == 0 ? null : () =>
        {
            (long[][] predicted, _) = SequenceTaggerTransformer.Predict(network, validation, options, device, out double lossSum);
            SpanF1Metrics metrics = SpanEvaluator.Evaluate(validationTags!.Select((gold, i) =>
                ((IReadOnlyList<string>)gold, (IReadOnlyList<string>)predicted[i].Select(vocabularies.TagName).ToArray())));
            return new ValidationResult(lossSum / validation.Length, metrics.TokenAccuracy, metrics.F1Score);
        };

        return loop.Run(
            epoch => batcher.GetBatches(epoch - 1).Select(rows => new TaggerTrainingBatch(rows, train)).ToArray(),
            batch => network.Loss(TaggerBatchTensors.Create(batch.Rows.Select(r => train[r]).ToArray(), options.UseCharacterEncoder, targets: true, device)),
            validate);
    }

    private void LoadPretrainedVectors(RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, TaggerNetwork network)
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
        _context.WriteLog(SequenceLogLevel.Information, LogSource,
            $"Pretrained vectors: {report.MatchedWords} of {report.VocabularySize} words found ({report.Coverage:P1}).");
    }

    private static optim.Optimizer CreateOptimizer(RecurrentSequenceTaggerOptions options, TaggerNetwork network) =>
        OptimizerFactory.Create(options.Optimizer, network.parameters().Where(p => p.requires_grad), options.LearningRate);

    private static (List<string[]> Tokens, List<string[]> Tags) Read(ISequenceDataView view, RecurrentSequenceTaggerOptions options,
        string role, CancellationToken cancellationToken)
    {
        int tokenIndex = TaggerColumns.RequireTextVector(view.Schema, options.TokenColumnName, $"{role} token", nameof(RecurrentSequenceTaggerOptions.TokenColumnName));
        int tagIndex = TaggerColumns.RequireTextVector(view.Schema, options.TagColumnName, $"{role} tag", nameof(RecurrentSequenceTaggerOptions.TagColumnName));
        (List<string[]> tokens, List<string[]>? tags) = TaggerColumns.ReadTextVectors(view, tokenIndex, tagIndex, cancellationToken);
        return (tokens, tags!);
    }

    private static (List<string[]>, List<string[]>, List<string[]>, List<string[]>) Split(List<string[]> tokens, List<string[]> tags,
        double fraction, int seed)
    {
        int[] order = Enumerable.Range(0, tokens.Count).ToArray();
        new Random(seed).Shuffle(order);
        int held = (int)Math.Round(tokens.Count * fraction);
        int[] validation = order.Take(held).Order().ToArray();
        int[] train = order.Skip(held).Order().ToArray();
        return (train.Select(i => tokens[i]).ToList(), train.Select(i => tags[i]).ToList(),
            validation.Select(i => tokens[i]).ToList(), validation.Select(i => tags[i]).ToList());
    }
}
