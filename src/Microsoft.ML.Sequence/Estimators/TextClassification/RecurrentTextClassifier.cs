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

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Trains a recurrent text classifier, binary or multiclass: word embeddings → RNN/LSTM/GRU encoder (stacked,
/// optionally bidirectional) → pooling over time → softmax over the classes. Made by
/// <c>mlContext.BinaryClassification.Trainers.RecurrentTextClassifier</c> (Boolean label) or
/// <c>mlContext.MulticlassClassification.Trainers.RecurrentTextClassifier</c> (key label).</summary>
/// <remarks>
/// <para><b>Input columns</b>: <see cref="RecurrentTextClassifierOptions.TextColumnName"/> (Text, a vector of Text, or a
/// vector of keys) and <see cref="RecurrentTextClassifierOptions.LabelColumnName"/> (Boolean or a key). <b>Output
/// columns</b> of the fitted <see cref="TextClassifierTransformer"/>, named as ML.NET's evaluators expect: multiclass,
/// <c>PredictedLabel</c> (a key with the label's key values) and <c>Score</c> (Vector&lt;Single, K&gt; of probabilities
/// summing to 1); binary, <c>Score</c> (the raw margin), <c>Probability</c> and <c>PredictedLabel</c> (Boolean); with
/// attention pooling also <c>AttentionWeights</c>.</para>
/// <para><b>Fit</b> builds the vocabulary from the training rows (rare tokens and tokens seen only later map to UNK),
/// holds out a validation part (or uses <see cref="RecurrentTextClassifierOptions.ValidationSet"/>), batches rows of
/// similar length together in an order drawn from the seed every epoch, trains with the chosen optimiser, clipping and
/// schedule, scores the whole validation part after every epoch, stops early and restores the best epoch's weights.
/// Progress goes to <c>mlContext.Log</c> and to <see cref="RecurrentTextClassifierOptions.Progress"/>.</para>
/// <para><b>Determinism</b>: the validation split, batch order, initial weights and dropout masks all come from one seed
/// (<see cref="RecurrentTextClassifierOptions.Seed"/>, or drawn from the <c>MLContext</c>), so two fits with the same
/// seed give bit-identical weights.</para>
/// </remarks>
public sealed class RecurrentTextClassifier : IEstimator<TextClassifierTransformer>
{
    private const string Component = nameof(RecurrentTextClassifier);
    private const string LabelRole = "label";
    private readonly IHostEnvironment _environment;
    private readonly RecurrentTextClassifierOptions _options;

    internal RecurrentTextClassifier(IHostEnvironment environment, RecurrentTextClassifierOptions options, bool binary)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        IsBinary = binary;
    }

    /// <summary>A copy of the options this estimator trains with.</summary>
    public RecurrentTextClassifierOptions Options => _options.Clone();

    /// <summary>True for the binary trainer (Boolean label), false for the multiclass one (key label).</summary>
    public bool IsBinary { get; }

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The fitted classifier, with its <see cref="TextClassifierTransformer.History"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="ArgumentException">A label is missing, the data is empty or holds one class, or a key is out of
    /// range; the message names the row.</exception>
    /// <exception cref="OperationCanceledException"><see cref="RecurrentTextClassifierOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The context asks for a GPU that is missing, without fallback.</exception>
    public TextClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        RecurrentTextClassifierOptions options = _options.Clone();
        (DataViewSchema.Column textColumn, TextInputKind kind) = TextInputEncoder.FindColumn(input.Schema, options.TextColumnName, Component);
        DataViewSchema.Column labelColumn = CheckLabel(input.Schema, options);
        if (options.ValidationSet is IDataView validationSet)
        {
            CheckSameColumns(validationSet.Schema, kind, options);
        }

        using TrainingEnvironment environment = TrainingEnvironment.Open(_environment, Component, options.Seed);
        CancellationToken token = options.CancellationToken;
        var seeds = new Random(environment.Seed);
        int splitSeed = seeds.Next(), batchSeed = seeds.Next(), initSeed = seeds.Next();

        RawRows all = ReadRows(input, options, kind, "training", token);
        if (all.Count == 0)
        {
            throw new ArgumentException($"{Component}: the training data has no rows.", nameof(input));
        }

        RawRows train = all, held;
        if (options.ValidationSet is IDataView validation)
        {
            held = ReadRows(validation, options, kind, "validation", token);
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
            environment.Log.Warning("EarlyStopping has no effect: there is no validation data (ValidationFraction is 0 and no ValidationSet was given).");
        }

        string[] classes = IsBinary ? [bool.FalseString, bool.TrueString] : RowReaders.KeyValues(labelColumn);
        int distinct = train.Labels.Distinct().Count();
        if (distinct < 2)
        {
            throw new ArgumentException(
                $"{Component}: the training rows hold {distinct} class in column '{options.LabelColumnName}'; a classifier needs at least two.",
                nameof(input));
        }

        Vocabulary words = kind == TextInputKind.Keys
            ? new Vocabulary(RowReaders.KeyValues(textColumn))
            : BuildVocabulary(train.Tokens!, options);
        var encoder = new TextInputEncoder(options, words, kind);
        (long[][] trainKeys, int[] trainOov) = Encode(train, encoder);
        (long[][] heldKeys, _) = Encode(held, encoder);
        environment.Log.Info(
            $"{train.Count:N0} training rows, {held.Count:N0} validation rows, {classes.Length} classes, vocabulary {words.Count:N0} keys, device {environment.Device}.");

        Device device = environment.Device;
        var network = new TextClassifierNetwork(words.EmbeddingRows, classes.Length, options, (ulong)(uint)initSeed, words.UnknownKey);
        try
        {
            network.to(device);
            LoadPretrained(network, words, options, environment.Log);
            var progress = new LoggedProgress(environment.Log, options.Progress);
            TrainingHistory history = Train(network, options, trainKeys, trainOov, train.Labels, heldKeys, held.Labels, batchSeed, device,
                progress, token);
            network.eval();
            return new TextClassifierTransformer(options, IsBinary, words, kind, classes, network, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input schema plus the classifier's output columns.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The text or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextInputEncoder.FindColumn(inputSchema, _options.TextColumnName, Component);
        SchemaShape.Column label = InputColumns.Find(inputSchema, _options.LabelColumnName, LabelRole, Component);
        CheckLabelShape(ColumnShape.Of(label), _options.LabelColumnName);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (SchemaShape.Column column in TextClassifierTransformer.OutputShape(_options, IsBinary, label))
        {
            columns[column.Name] = column;
        }

        return new SchemaShape(columns.Values);
    }

    private DataViewSchema.Column CheckLabel(DataViewSchema schema, RecurrentTextClassifierOptions options)
    {
        DataViewSchema.Column label = InputColumns.Find(schema, options.LabelColumnName, LabelRole, Component);
        CheckLabelShape(InputColumns.Shape(label.Type), options.LabelColumnName);
        return label;
    }

    private void CheckLabelShape(ColumnShape shape, string name)
    {
        bool ok = IsBinary ? shape.IsScalar(BooleanDataViewType.Instance) : shape.Kind == SchemaShape.Column.VectorKind.Scalar && shape.IsKey;
        if (!ok)
        {
            throw InputColumns.Mismatch(name, LabelRole, Component,
                IsBinary ? "Boolean (use the multiclass trainer for a key label)" : "a key (from MapValueToKey; use the binary trainer for a Boolean label)", shape);
        }
    }

    private void CheckSameColumns(DataViewSchema schema, TextInputKind kind, RecurrentTextClassifierOptions options)
    {
        (_, TextInputKind validationKind) = TextInputEncoder.FindColumn(schema, options.TextColumnName, Component + " (ValidationSet)");
        if (validationKind != kind)
        {
            throw new ArgumentException(
                $"{Component}: ValidationSet's column '{options.TextColumnName}' holds {validationKind}, the training data's {kind}.", nameof(options));
        }

        CheckLabel(schema, options);
    }

    private static TrainingHistory Train(TextClassifierNetwork network, RecurrentTextClassifierOptions options, long[][] trainKeys, int[] trainOov,
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
            Members = network.MemberParameters,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = heldKeys.Length > 0 ? options.EarlyStopping : null,
            WeightAverageDecay = options.WeightAverageDecay,
            Progress = progress,
            CancellationToken = token,
            StopToken = options.StopToken,
        };

        IReadOnlyList<ClassifierBatch> Batches(int epoch) => batcher.GetBatches(epoch - 1).Select(rows =>
            new ClassifierBatch(rows, rows.Sum(r => (long)trainKeys[r].Length), rows.Sum(r => (long)trainOov[r]))).ToList();

        Tensor Loss(ClassifierBatch batch)
        {
            PaddedKeyBatch padded = PaddedKeyBatch.Create(trainKeys, batch.Rows);
            return network.Loss(padded.KeysToTensor(device), padded.Lengths.ToArray(),
                tensor(batch.Rows.Select(r => (long)trainLabels[r]).ToArray(), device: device));
        }

        Func<ValidationResult>? validate = heldKeys.Length == 0 ? null : () =>
        {
            ClassifierPrediction[] predictions = ClassifierInference.Predict(network, heldKeys, options.PredictionBatchSize, device, withWeights: false);
            return ClassificationValidation.Score(heldLabels, predictions.Select(p => p.Probabilities).ToArray());
        };

        return loop.Run(Batches, Loss, validate);
    }

    private static void LoadPretrained(TextClassifierNetwork network, Vocabulary words, RecurrentTextClassifierOptions options, MlNetLog log)
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

        // Every member starts from the same vectors.
        PretrainedVectorsReport report = PretrainedEmbeddings.Load(options.PretrainedVectorsPath, rows, network.Embeddings);
        log.Info(
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
        long unknown = encoder.Vocabulary.UnknownKey;
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows.Keys is not null)
            {
                long[] source = rows.Keys[i];
                long bad = Array.Find(source, k => k > encoder.Vocabulary.Count);
                if (bad != 0)
                {
                    throw new ArgumentException(
                        $"{Component}: row {rows.Rows[i]} holds key {bad}, outside the vocabulary's keys 0..{encoder.Vocabulary.Count}.");
                }

                keys[i] = source.Length == 0 ? [0L] : source;
            }
            else
            {
                keys[i] = encoder.Encode(rows.Tokens![i]);
            }

            oov[i] = unknown == 0 ? 0 : keys[i].Count(k => k == unknown);
        }

        return (keys, oov);
    }

    private RawRows ReadRows(IDataView view, RecurrentTextClassifierOptions options, TextInputKind kind, string part, CancellationToken token)
    {
        DataViewSchema.Column text = view.Schema[options.TextColumnName];
        DataViewSchema.Column labelColumn = view.Schema[options.LabelColumnName];
        var encoder = new TextInputEncoder(options, new Vocabulary([]), kind);
        var tokens = new List<string[]>();
        var keys = new List<long[]>();
        var labels = new List<int>();
        using DataViewRowCursor cursor = view.GetRowCursor([text, labelColumn]);
        Func<string[]>? readTokens = kind == TextInputKind.Keys ? null : encoder.CreateTokenReader(cursor, text);
        Func<long[]>? readKeys = kind == TextInputKind.Keys ? encoder.CreateRawKeyReader(cursor, text) : null;
        Func<int> readLabel = LabelReader(cursor, labelColumn, part);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0x3FF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            labels.Add(readLabel());
            if (readKeys is not null)
            {
                keys.Add(readKeys());
            }
            else
            {
                tokens.Add(readTokens!());
            }
        }

        int[] rowNumbers = Enumerable.Range(0, labels.Count).ToArray();
        return new RawRows(readKeys is null ? tokens.ToArray() : null, readKeys is null ? null : keys.ToArray(), labels.ToArray(), rowNumbers);
    }

    private Func<int> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, string part)
    {
        if (IsBinary)
        {
            Func<bool> value = RowReaders.Boolean(cursor, column);
            return () => value() ? 1 : 0;
        }

        Func<uint> key = RowReaders.Key(cursor, column);
        return () => key() is uint k and > 0 ? (int)k - 1 : throw new ArgumentException(
            $"{Component}: {part} row {cursor.Position}, label column '{column.Name}' is missing (key 0: a value MapValueToKey did not know).");
    }

    /// <summary>Rows read from a view: tokens (Text/Tokens input) or keys, class indices, and their row numbers.</summary>
    private sealed record RawRows(string[][]? Tokens, long[][]? Keys, int[] Labels, int[] Rows)
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
