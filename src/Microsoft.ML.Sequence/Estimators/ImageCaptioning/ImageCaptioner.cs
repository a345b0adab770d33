using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>Trains an image captioner (Show, Attend and Tell): a conv encoder trained from scratch, an LSTM decoder with
/// additive soft attention over the image regions, words from START until END. Made by
/// <c>mlContext.Sequence.Trainers.ImageCaptioner</c>.</summary>
/// <remarks>
/// <para><b>Input columns</b>: <see cref="ImageCaptionerOptions.ImageColumnName"/> (an ML.NET image, from
/// <c>mlContext.Transforms.LoadImages</c>) and, for training, <see cref="ImageCaptionerOptions.LabelColumnName"/> (Text):
/// one (image, caption) pair per row; an image may appear on several rows with different captions (rows with identical
/// pixels are one image). <b>Output column</b> of the fitted <see cref="ImageCaptioningTransformer"/>:
/// <see cref="ImageCaptionerOptions.PredictedCaptionColumnName"/> (Text).</para>
/// <para><b>Fit</b> builds the vocabulary from the training captions (lowercased words; PAD = key 0, then UNK, START,
/// END), holds out a validation part by image (or reads <see cref="ImageCaptionerOptions.ValidationSet"/>), trains with
/// teacher forcing (per-step cross-entropy over the real tokens, optional scheduled sampling and doubly stochastic
/// attention penalty, gradient clipping), scores the validation images by BLEU-4 of their greedy captions after every
/// epoch, stops early and restores the best epoch's weights. Progress goes to <c>mlContext.Log</c> and to
/// <see cref="ImageCaptionerOptions.Progress"/>.</para>
/// <para><b>Determinism</b>: the split, batch order, initial weights, dropout masks and scheduled-sampling draws come
/// from one seed (<see cref="ImageCaptionerOptions.Seed"/>, or drawn from the <c>MLContext</c>).</para>
/// </remarks>
public sealed class ImageCaptioner : IEstimator<ImageCaptioningTransformer>
{
    internal const string Component = nameof(ImageCaptioner);
    private readonly IHostEnvironment _environment;
    private readonly ImageCaptionerOptions _options;

    internal ImageCaptioner(IHostEnvironment environment, ImageCaptionerOptions options)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.EarlyStopping?.Metric == ValidationMetric.F1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ValidationMetric.F1,
                "EarlyStopping.Metric: captioning has no F1; use Accuracy (validation BLEU-4) or Loss.");
        }

        _options = options.Clone();
    }

    /// <summary>A copy of the options this estimator trains with.</summary>
    public ImageCaptionerOptions Options => _options.Clone();

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <param name="input">Training rows: an image column and a caption column.</param>
    /// <returns>The fitted captioner, with its <see cref="ImageCaptioningTransformer.History"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="ArgumentException">The data is empty, a caption is empty or an image unreadable; the message
    /// names the row.</exception>
    /// <exception cref="OperationCanceledException"><see cref="ImageCaptionerOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">The context asks for a GPU that is missing, without fallback.</exception>
    public ImageCaptioningTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TorchThreads.EnsureDefault();
        ImageCaptionerOptions options = _options.Clone();
        CheckColumns(input.Schema, options, Component);
        if (options.ValidationSet is IDataView validationSet)
        {
            CheckColumns(validationSet.Schema, options, Component + " (ValidationSet)");
        }

        using TrainingEnvironment environment = TrainingEnvironment.Open(_environment, Component, options.Seed);
        CancellationToken token = options.CancellationToken;
        var seeds = new Random(environment.Seed);
        int splitSeed = seeds.Next(), batchSeed = seeds.Next(), initSeed = seeds.Next();
        CaptionRows all = CaptionRows.Read(input, options, "training", Component, token);
        if (all.Count == 0)
        {
            throw new ArgumentException($"{Component}: the training data has no rows.", nameof(input));
        }

        CaptionRows train = all, held;
        if (options.ValidationSet is IDataView validation)
        {
            held = CaptionRows.Read(validation, options, "validation", Component, token);
        }
        else if (options.ValidationFraction > 0 && all.Images.Count > 1)
        {
            int count = Math.Clamp((int)Math.Round(all.Images.Count * options.ValidationFraction), 1, all.Images.Count - 1);
            int[] permutation = Enumerable.Range(0, all.Images.Count).ToArray();
            new Random(splitSeed).Shuffle(permutation);
            held = all.SelectImages(permutation[..count].Order().ToArray());
            train = all.SelectImages(permutation[count..].Order().ToArray());
        }
        else
        {
            held = all.SelectImages([]);
        }

        if (held.Count == 0 && options.EarlyStopping is not null)
        {
            environment.Log.Warning("EarlyStopping has no effect: there is no validation data (ValidationFraction is 0 and no ValidationSet was given).");
        }

        Vocabulary words = BuildVocabulary(train.Tokens, options.VocabularyMinCount);
        environment.Log.Info(
            $"{train.Count:N0} training captions of {train.Images.Count:N0} images, {held.Count:N0} validation captions of {held.Images.Count:N0} images, vocabulary {words.Count:N0} keys, device {environment.Device}.");
        var network = new CaptionNetwork(words.EmbeddingRows, options, (ulong)(uint)initSeed);
        try
        {
            if (options.EncoderWeightsPath is string path)
            {
                EncoderWeights.Load(network.Encoder, path);
            }

            network.to(environment.Device);
            var progress = new LoggedProgress(environment.Log, options.Progress);
            TrainingHistory history = CaptionTraining.Train(network, options, words, train, held, batchSeed, environment.Device, progress, token);
            network.eval();
            return new ImageCaptioningTransformer(options, words, network, environment.Device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input schema plus the captioner's output column.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The image or caption column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column image = InputColumns.Find(inputSchema, _options.ImageColumnName, "image", Component);
        if (image.Kind != SchemaShape.Column.VectorKind.Scalar || image.ItemType is not ImageDataViewType)
        {
            throw InputColumns.Mismatch(_options.ImageColumnName, "image", Component, "an image (from LoadImages)", ColumnShape.Of(image));
        }

        SchemaShape.Column caption = InputColumns.Find(inputSchema, _options.LabelColumnName, "caption", Component);
        if (!ColumnShape.Of(caption).IsScalar(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(_options.LabelColumnName, "caption", Component, "Text", ColumnShape.Of(caption));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        SchemaShape.Column output = ImageCaptioningTransformer.OutputShape(_options);
        columns[output.Name] = output;
        return new SchemaShape(columns.Values);
    }

    internal static void CheckColumns(DataViewSchema schema, ImageCaptionerOptions options, string component)
    {
        ImageCaptioningTransformer.FindImageColumn(schema, options.ImageColumnName, component);
        DataViewSchema.Column caption = InputColumns.Find(schema, options.LabelColumnName, "caption", component);
        if (!InputColumns.Shape(caption.Type).IsScalar(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(options.LabelColumnName, "caption", component, "Text", InputColumns.Shape(caption.Type));
        }
    }

    /// <summary>Words of the training captions seen at least <paramref name="minCount"/> times, most frequent first (ties
    /// in order of first appearance), after PAD (0), UNK, START and END.</summary>
    internal static Vocabulary BuildVocabulary(string[][] captions, int minCount)
    {
        var counts = new Dictionary<string, (long Count, long First)>(StringComparer.Ordinal);
        long seen = 0;
        foreach (string token in captions.SelectMany(c => c))
        {
            if (token is Vocabulary.UnknownToken or Vocabulary.StartToken or Vocabulary.EndToken or Vocabulary.PadToken)
            {
                continue;
            }

            counts[token] = counts.TryGetValue(token, out var c) ? (c.Count + 1, c.First) : (1, seen);
            seen++;
        }

        return new Vocabulary(counts.Where(p => p.Value.Count >= minCount).OrderByDescending(p => p.Value.Count).ThenBy(p => p.Value.First)
            .Select(p => p.Key), SpecialTokens.Pad | SpecialTokens.Unknown | SpecialTokens.Start | SpecialTokens.End);
    }
}
