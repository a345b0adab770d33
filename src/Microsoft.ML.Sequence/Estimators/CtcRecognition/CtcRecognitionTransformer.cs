using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(CtcRecognitionTransformer), null, typeof(SignatureLoadModel), "CTC recognizer",
    CtcRecognitionTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>A fitted CTC recognizer: adds <c>PredictedText</c> (and, on request, the frame probabilities), recognising
/// rows in batches.</summary>
/// <remarks>
/// <para><see cref="Transform"/> is lazy: a cursor recognises <see cref="CtcRecognizerOptions.PredictionBatchSize"/> rows
/// per forward pass as it moves; <c>mlContext.Model.CreatePredictionEngine</c> uses the same code for one row.</para>
/// <para><c>mlContext.Model.Save</c> stores every option, the alphabet and the weights (safetensors, PyTorch names);
/// <c>mlContext.Model.Load</c> rebuilds the model in any process that can load this assembly. Dispose the transformer
/// to free the weights (a prediction engine made from it disposes it too, as ML.NET 5 does).</para>
/// </remarks>
public sealed class CtcRecognitionTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MlSequenceCtcRecognizer";
    internal const string Kind = "Sequence.CtcRecognizer";
    internal const int KindVersion = 1;
    private const string LanguageModelName = "language-model";
    private readonly CtcRecognizerOptions _options;
    private readonly CtcRecognizerNetwork _network;
    private readonly Device _device;
    private readonly CtcPrefixBeamDecoder? _decoder;
    private bool _disposed;

    internal CtcRecognitionTransformer(CtcRecognizerOptions options, CtcInputKind inputKind, int featureSize, string alphabet,
        CtcRecognizerNetwork network, Device device, TrainingHistory? history, int infeasibleTrainingRows, CharacterLanguageModel? languageModel)
    {
        LanguageModel = languageModel;
        _decoder = options.BeamWidth == 1 ? null : new CtcPrefixBeamDecoder(alphabet, new CtcBeamSearchOptions
        {
            BeamWidth = options.BeamWidth,
            HypothesisCount = options.TopK,
            LanguageModelWeight = options.LanguageModelWeight,
            InsertionBonus = options.InsertionBonus,
        }, languageModel);
        // The training-only settings (not saved) are not the model's: a loaded model has none either.
        _options = options.Clone();
        _options.ValidationSet = null;
        _options.Progress = null;
        _options.CancellationToken = default;
        _options.StopToken = default;
        InputKind = inputKind;
        FeatureSize = featureSize;
        Alphabet = alphabet;
        _network = network;
        _device = device;
        History = history;
        InfeasibleTrainingRows = infeasibleTrainingRows;
        _network.eval();
    }

    /// <summary>Per-epoch losses and validation figures (1 − CER) of the <c>Fit</c> that made this model; null for a
    /// loaded model.</summary>
    public TrainingHistory? History { get; }

    /// <summary>The characters the model writes: class k ≥ 1 is <c>Alphabet[k − 1]</c>, class 0 the CTC blank.</summary>
    public string Alphabet { get; }

    /// <summary>Training and validation rows whose CTC loss was infinite (too few frames once repeated characters are
    /// separated by blanks) and zeroed; 0 for a loaded model.</summary>
    public int InfeasibleTrainingRows { get; }

    /// <summary>The character language model beam search uses (trained at <c>Fit</c> when
    /// <see cref="CtcRecognizerOptions.LanguageModelOrder"/> &gt; 0, saved with the model), or null.</summary>
    public CharacterLanguageModel? LanguageModel { get; }

    /// <summary>Number of trainable values in the network.</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>A copy of the options the model was trained with.</summary>
    public CtcRecognizerOptions Options => _options.Clone();

    /// <summary>Always true: the model maps each row on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    internal CtcInputKind InputKind { get; }

    /// <summary>F for feature models, 0 for image models.</summary>
    internal int FeatureSize { get; }

    /// <summary>What one input row is normalised to: the image height, or F.</summary>
    internal int InputSize => InputKind == CtcInputKind.Image ? _options.ImageHeight : FeatureSize;

    /// <summary>The input schema plus the model's output columns.</summary>
    /// <param name="inputSchema">The schema of the data to recognise.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not what the model was trained on.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds the model's columns to <paramref name="input"/>, lazily; rows are recognised in batches as a cursor moves.</summary>
    /// <param name="input">The data to recognise.</param>
    /// <returns>The view with the output columns.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to recognise.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>Frees the network's weights.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _network.Dispose();
        }
    }

    /// <summary>Recognises samples in batches.</summary>
    internal CtcPrediction[] Recognize(IReadOnlyList<CtcSample> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchThreads.EnsureDefault();
        (float[][] scores, _) = CtcInference.Predict(_network, samples, InputSize, _options.PredictionBatchSize, _device);
        var predictions = new CtcPrediction[scores.Length];
        if (_decoder is null)
        {
            for (int i = 0; i < scores.Length; i++)
            {
                predictions[i] = new CtcPrediction(CtcBestPathDecoder.Decode(scores[i], Alphabet), scores[i], null);
            }

            return predictions;
        }

        // The decoder keeps no per-call state, so rows decode in parallel (beam search dominates with a language model).
        Parallel.For(0, scores.Length, i =>
        {
            IReadOnlyList<CtcHypothesis> hypotheses = _decoder.Decode(scores[i]);
            predictions[i] = new CtcPrediction(hypotheses[0].Text, scores[i], hypotheses);
        });
        return predictions;
    }

    /// <summary>Writes a PNG that shows how the model aligns one text line: the line as the network reads it (grayscale,
    /// scaled to <see cref="CtcRecognizerOptions.ImageHeight"/>), under it each output frame's most probable character
    /// (blank as a dot) on a cell tinted by its probability, the blank probability per frame, and the best-path text.
    /// Use it to debug CTC: frames where the blank never wins, or characters that fall between frames.</summary>
    /// <param name="image">The line (any size, as <c>LoadImages</c> gives it).</param>
    /// <param name="path">The PNG to write (replaced atomically).</param>
    /// <param name="caption">A line of text under the picture (e.g. the truth), or null.</param>
    /// <returns>The best-path text of the line.</returns>
    /// <exception cref="InvalidOperationException">The model reads feature sequences, not images.</exception>
    /// <exception cref="ArgumentException">The image's pixel format is not Bgra32 or Rgba32.</exception>
    public string WriteAlignmentPicture(MLImage image, string path, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (InputKind != CtcInputKind.Image)
        {
            throw new InvalidOperationException("This model reads feature sequences; alignment pictures are drawn for image models.");
        }

        CtcSample sample = CtcInputReader.FromImage(image, InputSize, nameof(WriteAlignmentPicture));
        TorchThreads.EnsureDefault();
        (float[][] scores, _) = CtcInference.Predict(_network, [sample], InputSize, 1, _device);
        CtcAlignmentPicture.Write(path, sample.Values, sample.Length, InputSize, scores[0], Alphabet, caption);
        return CtcBestPathDecoder.Decode(scores[0], Alphabet);
    }

    /// <summary>The same network and language model with other decoding settings (a copy of the weights: dispose both).
    /// Use it to compare best path with beam search, or to choose α and β on validation data without training again.</summary>
    /// <param name="beamWidth">Beam width, from 1 (best path) to 1024.</param>
    /// <param name="languageModelWeight">α, ≥ 0 (ignored without a language model or with best path).</param>
    /// <param name="insertionBonus">β per character.</param>
    /// <param name="topK">Hypotheses in the output columns, from 1 to <paramref name="beamWidth"/>. Default: 1.</param>
    /// <returns>A new transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CtcRecognitionTransformer WithDecoding(int beamWidth, double languageModelWeight, double insertionBonus, int topK = 1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CtcRecognizerOptions options = _options.Clone();
        options.BeamWidth = beamWidth;
        options.LanguageModelWeight = languageModelWeight;
        options.InsertionBonus = insertionBonus;
        options.TopK = topK;
        options.Validate();
        var network = new CtcRecognizerNetwork(InputKind, InputSize, Alphabet.Length + 1, options, seed: 0);
        try
        {
            using (no_grad())
            {
                StateDictionaries.Load(network, _network.state_dict(), nameof(CtcRecognizerNetwork));
            }

            network.to(_device);
            return new CtcRecognitionTransformer(options, InputKind, FeatureSize, Alphabet, network, _device, History, InfeasibleTrainingRows, LanguageModel);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(new SavedState(_options, InputKind, FeatureSize, Alphabet, LanguageModel is not null));
        if (LanguageModel is not null)
        {
            component.WriteLanguageModel(LanguageModelName, LanguageModel);
        }

        // state_dict() hands out the network's own tensors: written (copied) here, never disposed.
        using (no_grad())
        {
            component.WriteTensors(_network.state_dict());
        }

        ComponentPersistence.Save(ctx, VersionInfo(), component);
    }

    internal static SchemaShape.Column[] OutputShape(CtcRecognizerOptions options)
    {
        var columns = new List<SchemaShape.Column>
        {
            MlNetInternals.CreateColumn(options.PredictedTextColumnName, SchemaShape.Column.VectorKind.Scalar, TextDataViewType.Instance, false),
        };
        if (options.OutputFrameProbabilities)
        {
            columns.Add(MlNetInternals.CreateColumn(options.FrameProbabilitiesColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false));
        }

        if (options.TopK > 1)
        {
            columns.Add(MlNetInternals.CreateColumn(options.HypothesesColumnName, SchemaShape.Column.VectorKind.VariableVector, TextDataViewType.Instance, false));
            columns.Add(MlNetInternals.CreateColumn(options.HypothesisScoresColumnName, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false));
        }

        return columns.ToArray();
    }

    private CtcRecognitionMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new CtcRecognitionMapper(this, inputSchema);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("CTCRECOG", 0x00010001, 0x00010001, 0x00010001, typeof(CtcRecognitionTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static CtcRecognitionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        SavedState saved = context.ReadOptions<SavedState>();
        CtcRecognizerOptions options = saved.Options ?? throw new ModelFormatException($"{Kind}: the recognizer's options are missing.");
        context.CheckOptions(options.Validate);

        if (string.IsNullOrEmpty(saved.Alphabet) || saved.Alphabet.Distinct().Count() != saved.Alphabet.Length)
        {
            throw new ModelFormatException($"{Kind}: the saved alphabet is empty or repeats a character.");
        }

        if (!Enum.IsDefined(saved.InputKind) || (saved.InputKind == CtcInputKind.Features) != (saved.FeatureSize > 0))
        {
            throw new ModelFormatException($"{Kind}: the saved input kind {saved.InputKind} does not fit feature size {saved.FeatureSize}.");
        }

        if (saved.HasLanguageModel != (options.LanguageModelOrder > 0))
        {
            throw new ModelFormatException($"{Kind}: the settings say {(saved.HasLanguageModel ? "a" : "no")} language model, the options order {options.LanguageModelOrder}.");
        }

        CharacterLanguageModel? languageModel = saved.HasLanguageModel ? context.ReadLanguageModel(LanguageModelName) : null;
        Device device = TrainingEnvironment.SelectDevice(env, LoaderSignature);
        int size = saved.InputKind == CtcInputKind.Image ? options.ImageHeight : saved.FeatureSize;

        // The initial values are overwritten by the saved weights; a fixed seed keeps the global generator untouched.
        CtcRecognizerNetwork network = context.LoadNetwork(new CtcRecognizerNetwork(saved.InputKind, size, saved.Alphabet.Length + 1, options, seed: 0),
            "recognizer", device, LanguageModelName);
        return new CtcRecognitionTransformer(options, saved.InputKind, saved.FeatureSize, saved.Alphabet, network, device, history: null,
            infeasibleTrainingRows: 0, languageModel);
    }

    /// <summary>What the settings hold for a recognizer besides its weights.</summary>
    internal sealed record SavedState(CtcRecognizerOptions Options, CtcInputKind InputKind, int FeatureSize, string Alphabet, bool HasLanguageModel);
}
