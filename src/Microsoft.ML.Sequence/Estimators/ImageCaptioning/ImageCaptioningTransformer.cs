using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(ImageCaptioningTransformer), null, typeof(SignatureLoadModel), "Image captioner",
    ImageCaptioningTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>A fitted image captioner: adds the generated caption of each image as a Text column, decoding images in
/// batches (greedy, or beam search when <see cref="BeamWidth"/> &gt; 1).</summary>
/// <remarks>
/// <para><see cref="Transform"/> is lazy: a cursor captions <see cref="ImageCaptionerOptions.PredictionBatchSize"/>
/// images per encoder pass as it moves; <c>mlContext.Model.CreatePredictionEngine</c> captions one image per call through
/// the same code. <see cref="Caption(MLImage)"/> also returns the attention weights behind each word, and
/// <see cref="WriteAttentionMap"/> draws them.</para>
/// <para><c>mlContext.Model.Save</c> stores every option (the decoding settings as currently set), the vocabulary and
/// the weights (safetensors, PyTorch names); <c>mlContext.Model.Load</c> rebuilds the model in any process that can load
/// this assembly. Dispose the transformer to free the weights.</para>
/// </remarks>
public sealed class ImageCaptioningTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MlSequenceImageCaptioner";
    internal const string Kind = "Sequence.ImageCaptioner";
    internal const int KindVersion = 1;
    private readonly ImageCaptionerOptions _options;
    private readonly CaptionNetwork _network;
    private readonly Device _device;
    private int _beamWidth;
    private double _lengthNormalization;
    private int _maxCaptionLength;
    private bool _disposed;

    internal ImageCaptioningTransformer(ImageCaptionerOptions options, Vocabulary words, CaptionNetwork network, Device device, TrainingHistory? history)
    {
        // The training-only settings (not saved) are not the model's: a loaded model has none either.
        _options = options.Clone();
        _options.ValidationSet = null;
        _options.Progress = null;
        _options.CancellationToken = default;
        _options.StopToken = default;
        Vocabulary = words;
        _network = network;
        _device = device;
        History = history;
        _beamWidth = options.BeamWidth;
        _lengthNormalization = options.LengthNormalization;
        _maxCaptionLength = options.MaxCaptionLength;
        _network.eval();
    }

    /// <summary>Per-epoch losses and validation BLEU-4 of the <c>Fit</c> that made this model; null for a loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>The word vocabulary: key 0 PAD, then UNK, START, END and the training captions' words.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Number of trainable values in the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>A copy of the options, with the decoding settings as currently set.</summary>
    public ImageCaptionerOptions Options
    {
        get
        {
            ImageCaptionerOptions copy = _options.Clone();
            copy.BeamWidth = _beamWidth;
            copy.LengthNormalization = _lengthNormalization;
            copy.MaxCaptionLength = _maxCaptionLength;
            return copy;
        }
    }

    /// <summary>Beam width of decoding, from 1 (greedy) to 64; saved with the model and changeable after loading.
    /// Starts at <see cref="ImageCaptionerOptions.BeamWidth"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 … 64.</exception>
    public int BeamWidth
    {
        get => _beamWidth;
        set
        {
            ImageCaptionerOptions.ValidateDecoding(value, _lengthNormalization, _maxCaptionLength);
            _beamWidth = value;
        }
    }

    /// <summary>Length-normalisation exponent α of beam search, in [0, 2]; saved with the model. Starts at
    /// <see cref="ImageCaptionerOptions.LengthNormalization"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, 2].</exception>
    public double LengthNormalization
    {
        get => _lengthNormalization;
        set
        {
            ImageCaptionerOptions.ValidateDecoding(_beamWidth, value, _maxCaptionLength);
            _lengthNormalization = value;
        }
    }

    /// <summary>Most words per caption, from 1 to 512; saved with the model. Starts at
    /// <see cref="ImageCaptionerOptions.MaxCaptionLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1 … 512.</exception>
    public int MaxCaptionLength
    {
        get => _maxCaptionLength;
        set
        {
            ImageCaptionerOptions.ValidateDecoding(_beamWidth, _lengthNormalization, value);
            _maxCaptionLength = value;
        }
    }

    /// <summary>Regions across the image (the attention grid's width).</summary>
    public int GridWidth => _network.Encoder.GridWidth;

    /// <summary>Regions down the image (the attention grid's height).</summary>
    public int GridHeight => _network.Encoder.GridHeight;

    internal CaptionNetwork Network => _network;

    internal Device Device => _device;

    /// <summary>Always true: the model maps each row on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the caption column.</summary>
    /// <param name="inputSchema">The schema of the data to caption.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The image column is missing or not an image.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds <see cref="ImageCaptionerOptions.PredictedCaptionColumnName"/> to <paramref name="input"/>, lazily;
    /// images are captioned in batches as a cursor moves. The caption column is not needed.</summary>
    /// <param name="input">The data to caption.</param>
    /// <returns>The view with the caption column.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to caption.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>Captions one image with the current decoding settings and returns the words with the attention weights
    /// behind each.</summary>
    /// <param name="image">The image (resized to the model's size when it differs).</param>
    /// <returns>The caption, its attention weights and log-probability.</returns>
    /// <exception cref="ArgumentException">The image has no pixels or an unsupported pixel format.</exception>
    public GeneratedCaption Caption(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Caption([ImagePixels.Read(image, _options.ImageWidth, _options.ImageHeight, "image")])[0];
    }

    /// <summary>Captions <paramref name="image"/> and writes a PNG that shows, for each generated word, the image with
    /// its attention weights as a heat overlay (red where the decoder looked, per region of the
    /// <see cref="GridWidth"/> × <see cref="GridHeight"/> grid, scaled to the word's largest weight), the word under each
    /// panel and the whole caption on top.</summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The PNG file to write (its folder must exist).</param>
    /// <param name="scale">Pixels per image pixel in each panel, from 1 to 16. Default: 3.</param>
    /// <returns>The caption drawn.</returns>
    /// <exception cref="ArgumentException">The image has no pixels or an unsupported pixel format.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is out of range.</exception>
    public GeneratedCaption WriteAttentionMap(MLImage image, string path, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Arguments.Range(scale, 1, 16, nameof(scale));
        byte[] pixels = ImagePixels.Read(image, _options.ImageWidth, _options.ImageHeight, "image");
        GeneratedCaption caption = Caption([pixels])[0];
        AttentionMapPainter.Write(path, pixels, _options.ImageWidth, _options.ImageHeight, caption, scale);
        return caption;
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

    /// <summary>Captions images (RGB bytes at the model's size) in batches of <see cref="ImageCaptionerOptions.PredictionBatchSize"/>.</summary>
    internal GeneratedCaption[] Caption(IReadOnlyList<byte[]> images)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        var results = new List<GeneratedCaption>(images.Count);
        int beam = _beamWidth, maxLength = _maxCaptionLength;
        double alpha = _lengthNormalization;
        for (int start = 0; start < images.Count; start += _options.PredictionBatchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int count = Math.Min(_options.PredictionBatchSize, images.Count - start);
            Tensor batch = ImagePixels.ToTensor(images.Skip(start).Take(count).ToList(), _options.ImageWidth, _options.ImageHeight, _device);
            DecodedCaption[] decoded = beam == 1
                ? CaptionDecoding.Greedy(_network, batch, Vocabulary.StartKey, Vocabulary.EndKey, maxLength)
                : CaptionDecoding.Beam(_network, batch, Vocabulary.StartKey, Vocabulary.EndKey, maxLength, beam, alpha);
            results.AddRange(decoded.Select(d => new GeneratedCaption(d.Keys.Select(k => Vocabulary.GetValue(k)).ToArray(), d.Weights,
                GridWidth, GridHeight, d.LogProbability)));
        }

        return results.ToArray();
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(Options);
        component.WriteVocabulary("words", Vocabulary);
        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using (no_grad())
        {
            component.WriteTensors(_network.state_dict());
        }

        ComponentPersistence.Save(ctx, VersionInfo(), component);
    }

    internal static SchemaShape.Column OutputShape(ImageCaptionerOptions options) =>
        MlNetInternals.CreateColumn(options.PredictedCaptionColumnName, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false);

    internal static DataViewSchema.Column FindImageColumn(DataViewSchema schema, string name, string component)
    {
        DataViewSchema.Column image = InputColumns.Find(schema, name, "image", component);
        if (image.Type is not ImageDataViewType)
        {
            throw InputColumns.Mismatch(name, "image", component, "an image (from LoadImages)", InputColumns.Shape(image.Type));
        }

        return image;
    }

    private CaptionerMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new CaptionerMapper(this, _options, inputSchema);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("IMGCAPTN", 0x00010001, 0x00010001, 0x00010001, typeof(ImageCaptioningTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static ImageCaptioningTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        ImageCaptionerOptions options = context.ReadOptions<ImageCaptionerOptions>();
        context.CheckOptions(options.Validate);

        Vocabulary words = context.ReadVocabulary("words");
        if (words.StartKey == 0 || words.EndKey == 0)
        {
            throw new ModelFormatException($"{Kind}: the vocabulary has no START or END entry.");
        }

        Device device = TrainingEnvironment.SelectDevice(env, LoaderSignature);
        // The initial values are overwritten by the saved weights; a fixed seed keeps the global generator untouched.
        CaptionNetwork network = context.LoadNetwork(new CaptionNetwork(words.EmbeddingRows, options, seed: 0), "captioner", device);
        return new ImageCaptioningTransformer(options, words, network, device, history: null);
    }
}
