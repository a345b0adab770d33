using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Trains a CTC recognizer (the CRNN recipe): convolution blocks → stacked BiLSTM → linear layer to the
/// alphabet plus the CTC blank, trained with TorchSharp's CTC loss. Made by
/// <c>mlContext.Sequence.Trainers.CtcRecognizer(labelColumnName, imageColumnName: …)</c> for text-line images or
/// <c>…(labelColumnName, featuresColumnName: …)</c> for feature sequences (e.g. log-mel frames).</summary>
/// <remarks>
/// <para><b>Input columns</b>: the label (Text) and either an image column (<c>MLImage</c>, any size: grayscale, scaled to
/// <see cref="CtcRecognizerOptions.ImageHeight"/> keeping the aspect ratio) or a Vector&lt;Single&gt; of dimensions
/// [T, F]. <b>Output columns</b> of the fitted <see cref="CtcRecognitionTransformer"/>: <c>PredictedText</c> (Text); on
/// request the frame probabilities and the top-k hypotheses with scores.</para>
/// <para><b>Fit</b> learns the alphabet from the training labels (sorted; class 0 is the blank, class k is
/// <c>alphabet[k − 1]</c>) unless <see cref="CtcRecognizerOptions.Alphabet"/> fixes it, holds out a validation part, batches
/// rows of similar width, trains with Adam and clipping, scores the validation part after every epoch by best-path CER,
/// stops early and restores the best epoch. A row whose input is shorter (after the front-end's stride) than its label
/// is an error naming the row; rows that need more frames only because of blanks between repeated characters get an
/// infinite CTC loss, which is zeroed, and they are counted in the log.</para>
/// <para><b>Determinism</b>: one seed (<see cref="CtcRecognizerOptions.Seed"/>, or drawn from the <c>MLContext</c>) fixes
/// the split, batch order, initial weights and dropout masks.</para>
/// </remarks>
public sealed class CtcRecognizer : IEstimator<CtcRecognitionTransformer>
{
    private const string Component = nameof(CtcRecognizer);
    private const string LabelRole = "label";
    private readonly IHostEnvironment _environment;
    private readonly CtcRecognizerOptions _options;

    internal CtcRecognizer(IHostEnvironment environment, CtcRecognizerOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options this estimator trains with.</summary>
    public CtcRecognizerOptions Options => _options.Clone();

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The fitted recognizer, with its <see cref="CtcRecognitionTransformer.History"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="ArgumentException">The data is empty, a label holds a character outside a fixed alphabet, an input
    /// is too short for its label, or a value is malformed; the message names the row.</exception>
    /// <exception cref="OperationCanceledException"><see cref="CtcRecognizerOptions.CancellationToken"/> was cancelled.</exception>
    public CtcRecognitionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        CtcRecognizerOptions options = _options.Clone();
        (DataViewSchema.Column inputColumn, CtcInputKind kind, int featureSize) = CtcInputReader.Find(input.Schema, options, Component);
        CheckLabel(input.Schema, options);
        if (options.ValidationSet is IDataView validationSet)
        {
            (_, CtcInputKind validationKind, int validationFeatures) = CtcInputReader.Find(validationSet.Schema, options, Component + " (ValidationSet)");
            CheckLabel(validationSet.Schema, options);
            if (validationKind != kind || validationFeatures != featureSize)
            {
                throw new ArgumentException($"{Component}: ValidationSet's input column does not match the training data's ({inputColumn.Type}).", nameof(input));
            }
        }

        using TrainingEnvironment environment = TrainingEnvironment.Open(_environment, Component, options.Seed);
        CancellationToken token = options.CancellationToken;
        var seeds = new Random(environment.Seed);
        int splitSeed = seeds.Next(), batchSeed = seeds.Next(), initSeed = seeds.Next();
        int size = kind == CtcInputKind.Image ? options.ImageHeight : featureSize;

        Rows all = ReadRows(input, options, kind, size, "training", token);
        if (all.Count == 0)
        {
            throw new ArgumentException($"{Component}: the training data has no rows.", nameof(input));
        }

        Rows train = all, held = Rows.Empty;
        if (options.ValidationSet is IDataView validation)
        {
            held = ReadRows(validation, options, kind, size, "validation", token);
        }
        else if (options.ValidationFraction > 0 && all.Count > 1)
        {
            int count = Math.Clamp((int)Math.Round(all.Count * options.ValidationFraction), 1, all.Count - 1);
            int[] permutation = Enumerable.Range(0, all.Count).ToArray();
            new Random(splitSeed).Shuffle(permutation);
            held = all.Select(permutation[..count].Order().ToArray());
            train = all.Select(permutation[count..].Order().ToArray());
        }

        if (held.Count == 0 && options.EarlyStopping is not null)
        {
            environment.Log.Warning("EarlyStopping has no effect: there is no validation data (ValidationFraction is 0 and no ValidationSet was given).");
        }

        string alphabet = options.Alphabet ?? new string(train.Labels.SelectMany(l => l).Distinct().Order().ToArray());
        if (alphabet.Length == 0)
        {
            throw new ArgumentException($"{Component}: every training label in column '{options.LabelColumnName}' is empty; there is nothing to learn.", nameof(input));
        }

        long[][] trainTargets = Encode(train, alphabet, "training", options);
        long[][] heldTargets = Encode(held, alphabet, "validation", options);
        Device device = environment.Device;
        var network = new CtcRecognizerNetwork(kind, size, alphabet.Length + 1, options, (ulong)(uint)initSeed);
        try
        {
            int infeasible = CheckLengths(network, train, trainTargets, "training") + CheckLengths(network, held, heldTargets, "validation");
            environment.Log.Info(
                $"{train.Count:N0} training rows, {held.Count:N0} validation rows, alphabet of {alphabet.Length} characters, {network.ParameterCount:N0} parameters, device {device}.");
            if (infeasible > 0)
            {
                environment.Log.Warning(
                    $"{infeasible:N0} rows need more frames than they have once a blank separates each pair of repeated characters: their CTC loss is infinite and is zeroed (no gradient) every epoch.");
            }

            network.to(device);
            var progress = new LoggedProgress(environment.Log, options.Progress);
            TrainingHistory history = Train(network, options, size, train.Samples, trainTargets, held, heldTargets, alphabet, batchSeed, device,
                progress, token);
            network.eval();
            CharacterLanguageModel? languageModel = TrainLanguageModel(options, train.Labels);
            if (languageModel is not null)
            {
                environment.Log.Info($"character {languageModel.Order}-gram language model ({languageModel.Smoothing}) over {languageModel.Characters.Length} characters, from {options.LanguageModelFile ?? "the training labels"}.");
            }

            return new CtcRecognitionTransformer(options, kind, featureSize, alphabet, network, device, history, infeasible, languageModel);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input schema plus the recognizer's output columns.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CtcInputReader.Find(inputSchema, _options, Component);
        SchemaShape.Column label = InputColumns.Find(inputSchema, _options.LabelColumnName, LabelRole, Component);
        if (!ColumnShape.Of(label).IsScalar(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(_options.LabelColumnName, LabelRole, Component, "Text", ColumnShape.Of(label));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (SchemaShape.Column column in CtcRecognitionTransformer.OutputShape(_options))
        {
            columns[column.Name] = column;
        }

        return new SchemaShape(columns.Values);
    }

    private static void CheckLabel(DataViewSchema schema, CtcRecognizerOptions options)
    {
        DataViewSchema.Column label = InputColumns.Find(schema, options.LabelColumnName, LabelRole, Component);
        if (label.Type is not TextDataViewType)
        {
            throw InputColumns.Mismatch(options.LabelColumnName, LabelRole, Component, "Text", InputColumns.Shape(label.Type));
        }
    }

    private static TrainingHistory Train(CtcRecognizerNetwork network, CtcRecognizerOptions options, int size, IReadOnlyList<CtcSample> samples,
        long[][] targets, Rows held, long[][] heldTargets, string alphabet, int batchSeed, Device device, IProgress<TrainingProgress> progress,
        CancellationToken token)
    {
        var batcher = new LengthBucketBatcher(samples.Select(s => s.Length).ToArray(), new LengthBucketBatcherOptions { BatchSize = options.BatchSize },
            batchSeed);
        List<TorchSharp.Modules.Parameter> parameters = network.parameters().Where(p => p.requires_grad).ToList();
        using optim.Optimizer optimizer = OptimizerFactory.Create(OptimizerKind.Adam, parameters, options.LearningRate);
        var loop = new TrainingLoop<CtcBatch>
        {
            Model = network,
            Optimizer = optimizer,
            GradientClipNorm = options.GradientClipNorm,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = held.Count > 0 ? options.EarlyStopping : null,
            Progress = progress,
            CancellationToken = token,
            StopToken = options.StopToken,
        };

        IReadOnlyList<CtcBatch> Batches(int epoch) => batcher.GetBatches(epoch - 1)
            .Select(rows => new CtcBatch(rows, rows.Sum(r => (long)samples[r].Length))).ToList();

        Tensor Loss(CtcBatch batch)
        {
            (Tensor input, long[] lengths) = CtcTensors.Build(samples, batch.Rows, network.Kind, size, device);
            Tensor logProbabilities = network.call(input, lengths).log_softmax(-1);
            long[] frames = lengths.Select(l => network.OutputLength(l)).ToArray();
            return CtcLoss.Compute(logProbabilities, frames, batch.Rows.Select(r => targets[r]).ToArray(), nn.Reduction.Mean);
        }

        Func<ValidationResult>? validate = held.Count == 0 ? null : () =>
        {
            (float[][] scores, double lossSum) = CtcInference.Predict(network, held.Samples, size, options.PredictionBatchSize, device, heldTargets);
            var counter = new RecognitionCounter();
            for (int i = 0; i < scores.Length; i++)
            {
                counter.Add(held.Labels[i], CtcBestPathDecoder.Decode(scores[i], alphabet));
            }

            double quality = 1 - counter.ToMetrics().CharacterErrorRate;
            return new ValidationResult(lossSum / held.Count, quality, quality);
        };

        return loop.Run(Batches, Loss, validate);
    }

    private static CharacterLanguageModel? TrainLanguageModel(CtcRecognizerOptions options, IReadOnlyList<string> labels)
    {
        if (options.LanguageModelOrder == 0)
        {
            return null;
        }

        var settings = new CharacterLanguageModelOptions { Order = options.LanguageModelOrder, Smoothing = options.LanguageModelSmoothing };
        return options.LanguageModelFile is { } file ? CharacterLanguageModel.TrainFromFile(file, settings) : CharacterLanguageModel.Train(labels, settings);
    }

    private static long[][] Encode(Rows rows, string alphabet, string part, CtcRecognizerOptions options)
    {
        var index = new Dictionary<char, long>();
        for (int k = 0; k < alphabet.Length; k++)
        {
            index[alphabet[k]] = k + 1;
        }

        var targets = new long[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
        {
            string label = rows.Labels[i];
            var target = new long[label.Length];
            for (int j = 0; j < label.Length; j++)
            {
                target[j] = index.TryGetValue(label[j], out long k) ? k : throw new ArgumentException(
                    $"{Component}: {part} row {rows.RowNumbers[i]}, label column '{options.LabelColumnName}': character '{label[j]}' (U+{(int)label[j]:X4}) at position {j} is not in the alphabet \"{alphabet}\".");
            }

            targets[i] = target;
        }

        return targets;
    }

    private static int CheckLengths(CtcRecognizerNetwork network, Rows rows, long[][] targets, string part)
    {
        int infeasible = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            long frames = network.OutputLength(rows.Samples[i].Length);
            if (frames < Math.Max(1, targets[i].Length))
            {
                throw new ArgumentException(
                    $"{Component}: {part} row {rows.RowNumbers[i]}: the input gives {frames} frames after the front-end's stride ({rows.Samples[i].Length} columns in), fewer than its label's {targets[i].Length} characters (\"{rows.Labels[i]}\"); use wider inputs or less pooling.");
            }

            if (!CtcLoss.IsFeasible(targets[i], frames))
            {
                infeasible++;
            }
        }

        return infeasible;
    }

    private static Rows ReadRows(IDataView view, CtcRecognizerOptions options, CtcInputKind kind, int size, string part, CancellationToken token)
    {
        (DataViewSchema.Column column, _, int featureSize) = CtcInputReader.Find(view.Schema, options, Component);
        DataViewSchema.Column labelColumn = view.Schema[options.LabelColumnName];
        var samples = new List<CtcSample>();
        var labels = new List<string>();
        using DataViewRowCursor cursor = view.GetRowCursor([column, labelColumn]);
        Func<CtcSample> read = CtcInputReader.Create(cursor, column, kind, size, featureSize, part, Component);
        Func<string> readLabel = RowReaders.Text(cursor, labelColumn);
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0x3F) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            labels.Add(readLabel());
            samples.Add(read());
        }

        return new Rows(samples, labels, Enumerable.Range(0, labels.Count).ToArray());
    }

    /// <summary>Rows read from a view: inputs, labels and their row numbers there.</summary>
    private sealed record Rows(IReadOnlyList<CtcSample> Samples, IReadOnlyList<string> Labels, int[] RowNumbers)
    {
        public static Rows Empty { get; } = new([], [], []);

        public int Count => Labels.Count;

        public Rows Select(int[] indices) => new(
            indices.Select(i => Samples[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(), indices.Select(i => RowNumbers[i]).ToArray());
    }
}
