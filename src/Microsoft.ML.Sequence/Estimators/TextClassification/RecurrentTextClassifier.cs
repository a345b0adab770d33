using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Embeddings;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Trains a recurrent text classifier (binary or multiclass): word embeddings → RNN/LSTM/GRU encoder (stacked,
/// optionally bidirectional) → pooling over time → softmax over the classes.</summary>
/// <remarks>
/// <para><b>Input columns</b>: <see cref="RecurrentTextClassifierOptions.TextColumnName"/> (Text, or a vector of keys
/// with a vocabulary) and <see cref="RecurrentTextClassifierOptions.LabelColumnName"/> (Boolean, Text, Int32, Int64 or a
/// key). <b>Output columns</b> of the fitted <see cref="TextClassifierTransformer"/>: <c>PredictedLabel</c> (a key whose
/// key values are the classes), <c>Score</c> (Vector&lt;Float32, K&gt; probabilities in key order, summing to 1),
/// <c>Probability</c> (binary models: the positive class's probability) and, with attention pooling,
/// <c>AttentionWeights</c>.</para>
/// <para><b>Fit</b> builds the vocabulary from the training rows (rare tokens and tokens seen only later map to UNK),
/// holds out a validation part (or uses the one given), batches rows of similar length together in an order drawn from
/// the seed every epoch, trains with the chosen optimiser, clipping and schedule, scores the whole validation part after
/// every epoch, stops early and restores the best epoch's weights. Progress reports carry the loss, the validation
/// accuracy (or F1), tokens per second, the ETA and the count of out-of-vocabulary tokens.</para>
/// <para><b>Determinism</b>: the validation split, batch order, initial weights and dropout masks all come from one seed
/// (<see cref="RecurrentTextClassifierOptions.Seed"/> or the context's seed stream), so two fits with the same seed in one
/// process give bit-identical weights.</para>
/// </remarks>
public sealed class RecurrentTextClassifier : ISequenceEstimator<TextClassifierTransformer>
{
    private const string Component = nameof(RecurrentTextClassifier);
    private readonly SequenceContext _context;
    private readonly RecurrentTextClassifierOptions _options;

    /// <summary>Creates the estimator.</summary>
    /// <param name="context">Seed, device, log and cancellation.</param>
    /// <param name="options">The options; validated and copied (later changes to the object have no effect).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public RecurrentTextClassifier(SequenceContext context, RecurrentTextClassifierOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options this estimator trains with.</summary>
    public RecurrentTextClassifierOptions Options => _options.Clone();

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="RecurrentTextClassifierOptions.ValidationFraction"/>
    /// of it for validation, with the context's cancellation token and no progress reports.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The fitted classifier.</returns>
    public TextClassifierTransformer Fit(ISequenceDataView input) => Fit(input, null, null, default);

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    /// <param name="validation">Validation rows that pick the best epoch and drive early stopping, or null to hold out
    /// <see cref="RecurrentTextClassifierOptions.ValidationFraction"/> of <paramref name="input"/>. Default: null.</param>
    /// <param name="progress">Receives reports synchronously on the training thread every
    /// <see cref="RecurrentTextClassifierOptions.ReportEvery"/> steps and at each epoch end, or null. Default: null.</param>
    /// <param name="cancellationToken">Stops training before the next batch (together with the context's token); the
    /// caller's model files are untouched. Default: none.</param>
    /// <returns>The fitted classifier, with its <see cref="TextClassifierTransformer.History"/>.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, a label is missing, the training rows
    /// hold fewer than two classes, or a validation row has a class the training rows lack; the message names it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public TextClassifierTransformer Fit(ISequenceDataView input, ISequenceDataView? validation,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        _options.Validate();
        RecurrentTextClassifierOptions options = _options.Clone();
        CheckInput(input.Schema, options);
        if (validation is not null)
        {
            CheckInput(validation.Schema, options);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _context.CancellationToken);
        CancellationToken token = linked.Token;
        var seeds = new Random(options.Seed ?? _context.NextSeed());
        int splitSeed = seeds.Next(), batchSeed = seeds.Next(), initSeed = seeds.Next();

        // Read the rows: raw tokens (text input) or keys, and labels as text.
        bool keyInput = TextInputEncoder.CheckColumn(input.Schema, options.TextColumnName, Component);
        RawRows all = ReadRows(input, options, keyInput, token);
        RawRows train = all, held;
        if (validation is not null)
        {
            held = ReadRows(validation, options, keyInput, token);
        }
        else if (options.ValidationFraction > 0 && all.Count > 1)
        {
            int count = Math.Clamp((int)Math.Round(all.Count * options.ValidationFraction), 1, all.Count - 1);
            int[] permutation = Enumerable.Range(0, all.Count).ToArray();
            new Random(splitSeed).Shuffle(permutation);
            held = all.Select(permutation[..count].Order().ToArray());
            train = all.Select(permutation[count..].Order().ToArray());
        }
        else
        {
            held = RawRows.Empty;
        }

        if (held.Count == 0 && options.EarlyStopping is not null)
        {
            _context.WriteLog(SequenceLogLevel.Warning, Component, "EarlyStopping has no effect: there is no validation data (ValidationFraction is 0 and no validation view was given).");
        }

        SequenceColumnType labelType = input.Schema[options.LabelColumnName].Type;
        string[] classes = LabelReader.OrderClasses(labelType, train.Labels);
        if (classes.Length < 2)
        {
            throw new ArgumentException(
                $"{Component}: the training rows hold {classes.Length} class(es) in column \"{options.LabelColumnName}\" ({string.Join(", ", classes)}); a classifier needs at least two.",
                nameof(input));
        }

        int positive = classes.Length == 2 ? LabelReader.PositiveIndex(classes, options.PositiveClass, nameof(options.PositiveClass)) : -1;
        var classVocabulary = new Vocabulary(classes);
        Vocabulary words = keyInput
            ? ((KeyColumnType)((VectorColumnType)input.Schema[options.TextColumnName].Type).ItemType).Vocabulary!
            : BuildVocabulary(train.Tokens!, options);
        var encoder = new TextInputEncoder(options, words, keyInput);
        (long[][] trainKeys, int[] trainOov) = Encode(train, encoder);
        (long[][] heldKeys, _) = Encode(held, encoder);
        int[] trainLabels = ClassIndices(train, classVocabulary, "training");
        int[] heldLabels = ClassIndices(held, classVocabulary, "validation");
        _context.WriteLog(SequenceLogLevel.Information, Component,
            $"{train.Count:N0} training rows, {held.Count:N0} validation rows, {classes.Length} classes, vocabulary {words.Count:N0} keys.");

        Device device = _context.Device;
        var network = new TextClassifierNetwork(words.EmbeddingRows, classes.Length, options, (ulong)(uint)initSeed, words.UnknownKey);
        try
        {
            network.to(device);
            LoadPretrained(network, words, options);
            TrainingHistory history = Train(network, options, trainKeys, trainOov, trainLabels, heldKeys, heldLabels, batchSeed, device,
                progress, token);
            network.eval();
            return new TextClassifierTransformer(options, words, keyInput, classVocabulary, positive, network, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema, _options);
        return TextClassifierTransformer.OutputSchema(inputSchema, _options, new KeyColumnType(0), binary: null);
    }

    private static void CheckInput(SequenceSchema schema, RecurrentTextClassifierOptions options)
    {
        TextInputEncoder.CheckColumn(schema, options.TextColumnName, Component);
        if (!schema.TryGetIndex(options.LabelColumnName, out int label))
        {
            throw new ArgumentException(
                $"{Component}: the input has no label column \"{options.LabelColumnName}\"; its columns are: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type})"))}. Set LabelColumnName.",
                nameof(schema));
        }

        if (!LabelReader.IsSupported(schema[label].Type))
        {
            throw new ArgumentException(
                $"{Component}: label column \"{options.LabelColumnName}\" is {schema[label].Type}; expected {LabelReader.SupportedTypes}.",
                nameof(schema));
        }
    }

    private TrainingHistory Train(TextClassifierNetwork network, RecurrentTextClassifierOptions options, long[][] trainKeys, int[] trainOov,
        int[] trainLabels, long[][] heldKeys, int[] heldLabels, int batchSeed, Device device, IProgress<TrainingProgress>? progress,
        CancellationToken token)
    {
        var batcher = new LengthBucketBatcher(trainKeys.Select(k => k.Length).ToArray(),
            new LengthBucketBatcherOptions { BatchSize = options.BatchSize }, batchSeed);
        int stepsPerEpoch = (trainKeys.Length + options.BatchSize - 1) / options.BatchSize;
        List<TorchSharp.Modules.Parameter> parameters = network.parameters().Where(p => p.requires_grad).ToList();
        using optim.Optimizer optimizer = OptimizerFactory.Create(options.Optimizer, parameters, options.LearningRate, options.WeightDecay);
        int totalSteps = Math.Max(1, stepsPerEpoch * options.MaxEpochs);
        optim.lr_scheduler.LRScheduler? schedule = TextClassifierSchedules.Create(options.Schedule, optimizer, options.LearningRate,
            totalSteps, options.WarmupSteps);
        var loop = new TrainingLoop<ClassifierBatch>
        {
            Model = network,
            Optimizer = optimizer,
            Schedule = schedule,
            GradientClipNorm = options.GradientClipNorm,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = heldKeys.Length > 0 ? options.EarlyStopping : null,
            Progress = progress,
            CancellationToken = token,
        };

        IReadOnlyList<ClassifierBatch> Batches(int epoch) => batcher.GetBatches(epoch - 1).Select(rows =>
            new ClassifierBatch(rows, rows.Sum(r => (long)trainKeys[r].Length), rows.Sum(r => (long)trainOov[r]))).ToList();

        Tensor Loss(ClassifierBatch batch)
        {
            PaddedKeyBatch padded = PaddedKeyBatch.Create(trainKeys, batch.Rows);
            (Tensor logits, _) = network.call(padded.KeysToTensor(device), padded.Lengths.ToArray());
            return nn.functional.cross_entropy(logits, tensor(batch.Rows.Select(r => (long)trainLabels[r]).ToArray(), device: device));
        }

        Func<ValidationResult>? validate = heldKeys.Length == 0 ? null : () =>
        {
            (float[][] scores, _) = ClassifierInference.Predict(network, heldKeys, options.PredictionBatchSize, device, withWeights: false);
            TextClassificationMetrics metrics = TextClassificationMetrics.Compute(
                Enumerable.Range(0, scores[0].Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                heldLabels, scores);
            return new ValidationResult(metrics.LogLoss, metrics.MicroAccuracy, metrics.MacroF1);
        };

        return loop.Run(Batches, Loss, validate);
    }

    private void LoadPretrained(TextClassifierNetwork network, Vocabulary words, RecurrentTextClassifierOptions options)
    {
        if (options.PretrainedVectorsPath is null)
        {
            return;
        }

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        for (long key = 1; key <= words.Count; key++)
        {
            rows[words.GetValue(key)] = key;
        }

        PretrainedVectorsReport report = PretrainedEmbeddings.Load(options.PretrainedVectorsPath, rows, network.Embedding);
        _context.WriteLog(SequenceLogLevel.Information, Component,
            $"pretrained vectors: {report.MatchedWords:N0} of {report.VocabularySize:N0} vocabulary entries found ({report.Coverage:P1}) in {options.PretrainedVectorsPath}.");
    }

    private static Vocabulary BuildVocabulary(string[][] tokens, RecurrentTextClassifierOptions options)
    {
        var counts = new Dictionary<string, (long Count, long First)>(StringComparer.Ordinal);
        long seen = 0;
        foreach (string[] row in tokens)
        {
            foreach (string token in row)
            {
                if (token == Vocabulary.UnknownToken)
                {
                    continue;
                }

                counts[token] = counts.TryGetValue(token, out var c) ? (c.Count + 1, c.First) : (1, seen);
                seen++;
            }
        }

        IEnumerable<KeyValuePair<string, (long Count, long First)>> kept = counts
            .Where(p => p.Value.Count >= options.VocabularyMinCount)
            .OrderByDescending(p => p.Value.Count).ThenBy(p => p.Value.First);
        if (options.MaxVocabularySize > 0)
        {
            kept = kept.Take(options.MaxVocabularySize);
        }

        return new Vocabulary(kept.Select(p => p.Key), SpecialTokens.Unknown);
    }

    private static (long[][] Keys, int[] OutOfVocabulary) Encode(RawRows rows, TextInputEncoder encoder)
    {
        var keys = new long[rows.Count][];
        var oov = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            long[] source = rows.Keys is not null ? rows.Keys[i] : rows.Tokens![i].Select(encoder.Vocabulary.GetKey).ToArray();
            if (rows.Keys is not null && source.Any(k => k < 0 || k > encoder.Vocabulary.Count))
            {
                throw new ArgumentException(
                    $"{Component}: row {rows.Rows[i]} holds key {source.First(k => k < 0 || k > encoder.Vocabulary.Count)}, outside the vocabulary's keys 0..{encoder.Vocabulary.Count}.");
            }

            oov[i] = encoder.Vocabulary.UnknownKey == 0 ? 0 : source.Count(k => k == encoder.Vocabulary.UnknownKey);
            keys[i] = source.Length == 0 ? [0L] : source;
        }

        return (keys, oov);
    }

    private static int[] ClassIndices(RawRows rows, Vocabulary classes, string part)
    {
        var result = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (!classes.TryGetKey(rows.Labels[i], out long key))
            {
                throw new ArgumentException(
                    $"{Component}: {part} row {rows.Rows[i]} has label \"{rows.Labels[i]}\", a class the training rows do not have ({string.Join(", ", classes.Values)}).");
            }

            result[i] = (int)key - 1;
        }

        return result;
    }

    private static RawRows ReadRows(ISequenceDataView view, RecurrentTextClassifierOptions options, bool keyInput, CancellationToken token)
    {
        int textIndex = view.Schema.IndexOf(options.TextColumnName);
        int labelIndex = view.Schema.IndexOf(options.LabelColumnName);
        Func<DataCursor, string?> label = LabelReader.Create(view.Schema[labelIndex].Type, labelIndex);
        var tokenizer = new TextInputEncoder(options, new Vocabulary([]), keyInput);
        var tokens = new List<string[]>();
        var keys = new List<long[]>();
        var labels = new List<string>();
        using DataCursor cursor = view.GetCursor();
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0x3FF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            labels.Add(label(cursor) ?? throw new ArgumentException(
                $"{Component}: row {cursor.Position}, label column \"{options.LabelColumnName}\" is missing (key 0)."));
            if (keyInput)
            {
                long[] value = cursor.GetValue<long[]>(textIndex);
                keys.Add(options.MaxSequenceLength > 0 && value.Length > options.MaxSequenceLength ? value[..options.MaxSequenceLength] : value);
            }
            else
            {
                tokens.Add(tokenizer.Tokenize(cursor.GetValue<string>(textIndex)));
            }
        }

        int[] rowNumbers = Enumerable.Range(0, labels.Count).ToArray();
        return new RawRows(keyInput ? null : tokens.ToArray(), keyInput ? keys.ToArray() : null, labels.ToArray(), rowNumbers);
    }

    /// <summary>Rows read from a view: tokens (text input) or keys, labels as text, and their row numbers in the view.</summary>
    private sealed record RawRows(string[][]? Tokens, long[][]? Keys, string[] Labels, int[] Rows)
    {
        public static RawRows Empty { get; } = new([], null, [], []);

        public int Count => Labels.Length;

        public RawRows Select(int[] indices) => new(
            Tokens is null ? null : indices.Select(i => Tokens[i]).ToArray(),
            Keys is null ? null : indices.Select(i => Keys[i]).ToArray(),
            indices.Select(i => Labels[i]).ToArray(),
            indices.Select(i => Rows[i]).ToArray());
    }
}
