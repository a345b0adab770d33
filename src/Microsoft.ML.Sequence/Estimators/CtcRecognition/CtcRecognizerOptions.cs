using System.Text.Json.Serialization;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Convolution;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Options of <see cref="CtcRecognizer"/>: columns, input normalisation, network, training, validation and
/// decoding.</summary>
/// <remarks>
/// <para>Exactly one of <see cref="ImageColumnName"/> and <see cref="FeaturesColumnName"/> names the input. Each property
/// states its default; that is the only place it is written. The estimator validates and copies the options, so later
/// changes have no effect on it, and <c>Fit</c> never writes into them. The fitted model stores every option in its
/// model.zip (except <see cref="ValidationSet"/>, <see cref="Progress"/> and <see cref="CancellationToken"/>).</para>
/// </remarks>
public sealed class CtcRecognizerOptions
{
    /// <summary>The transcription column (Text). Default: "Text".</summary>
    public string LabelColumnName { get; set; } = "Text";

    /// <summary>An image column (ML.NET's <c>ImageDataViewType</c>, values <c>MLImage</c>, e.g. from
    /// <c>mlContext.Transforms.LoadImages</c>) of text lines read left to right, any height and width. Inside, each image
    /// becomes grayscale, ink high (1 − luminance), scaled to <see cref="ImageHeight"/> keeping its aspect ratio, so the
    /// width varies; a batch is padded with background. Default: null.</summary>
    public string? ImageColumnName { get; set; }

    /// <summary>A feature-sequence column: Vector&lt;Single&gt; with <c>Dimensions = [T, F]</c>, where T may be 0 (a
    /// variable number of frames, as ML.NET writes <c>new VectorDataViewType(NumberDataViewType.Single, 0, F)</c>), F
    /// features per frame, values frame-major (frame 0's F values first). Default: null.</summary>
    public string? FeaturesColumnName { get; set; }

    /// <summary>Output column of the recognised text (Text). Default: "PredictedText".</summary>
    public string PredictedTextColumnName { get; set; } = "PredictedText";

    /// <summary>Output column of the per-frame class probabilities when <see cref="OutputFrameProbabilities"/> is set:
    /// Vector&lt;Single&gt;, frames × classes, frame-major; class 0 is the CTC blank, class k ≥ 1 is
    /// <c>Alphabet[k − 1]</c>. Default: "FrameProbabilities".</summary>
    public string FrameProbabilitiesColumnName { get; set; } = "FrameProbabilities";

    /// <summary>Output column of the top <see cref="TopK"/> hypotheses (Vector&lt;Text&gt;, best first) when
    /// <see cref="TopK"/> &gt; 1. Default: "Hypotheses".</summary>
    public string HypothesesColumnName { get; set; } = "Hypotheses";

    /// <summary>Output column of the hypotheses' scores (Vector&lt;Single&gt;, natural log, the decoder's total score)
    /// when <see cref="TopK"/> &gt; 1. Default: "HypothesisScores".</summary>
    public string HypothesisScoresColumnName { get; set; } = "HypothesisScores";

    /// <summary>Adds <see cref="FrameProbabilitiesColumnName"/> to the output. Default: false.</summary>
    public bool OutputFrameProbabilities { get; set; }

    /// <summary>The characters the model can write, or null to learn them from the training labels (sorted by code
    /// unit). With a fixed alphabet, a training label holding another character is an error naming the row and the
    /// character; so is a validation label with a character outside the (fixed or learned) alphabet, since its CTC loss
    /// could not be computed. Default: null.</summary>
    public string? Alphabet { get; set; }

    /// <summary>Height, in pixels, every image is scaled to (images only), from 8 to 512; it must be divisible by the
    /// product of the blocks' height pools. Default: 32.</summary>
    public int ImageHeight { get; set; } = 32;

    /// <summary>The convolutional front-end, or null for the default of the input kind. Images (default): four blocks of
    /// 32, 64, 128, 128 channels pooling (height × width) 2×2, 2×2, 2×1, 2×1, so a 32-pixel line becomes one feature
    /// column (128 × 2 values) per 4 pixels of width. Features (default): two blocks of 128 channels pooling time by 2,
    /// one frame per 4 input frames. An empty list feeds the input straight to the recurrent encoder. Default: null.</summary>
    public ConvolutionBlock[]? ConvolutionBlocks { get; set; }

    /// <summary>Hidden size per direction of the BiLSTM, from 1 to 4096. Default: 128.</summary>
    public int HiddenSize { get; set; } = 128;

    /// <summary>Stacked BiLSTM layers, from 1 to 8. Default: 2.</summary>
    public int LayerCount { get; set; } = 2;

    /// <summary>Dropout before, between and after the recurrent layers, in [0, 1). Default: 0.2.</summary>
    public double Dropout { get; set; } = 0.2;

    /// <summary>Most passes over the training rows, at least 1. Default: 30.</summary>
    public int MaxEpochs { get; set; } = 30;

    /// <summary>Rows per optimiser step (rows of similar width are batched together), at least 1. Default: 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Rows per forward pass when predicting or validating, at least 1. Default: 64.</summary>
    public int PredictionBatchSize { get; set; } = 64;

    /// <summary>Adam's learning rate, &gt; 0. Default: 0.001.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Global gradient-norm clipping threshold, ≥ 0 (0 disables). Default: 5.</summary>
    public double GradientClipNorm { get; set; } = 5;

    /// <summary>Seed of the validation split, batch order, initial weights and dropout masks; null draws one from the
    /// <c>MLContext</c>. Default: null.</summary>
    public int? Seed { get; set; }

    /// <summary>Fraction of the training rows held out for validation when <see cref="ValidationSet"/> is null, in [0, 1).
    /// Default: 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Validation rows (same columns as the training data) used instead of a held-out fraction; not saved.
    /// Default: null.</summary>
    [JsonIgnore]
    public IDataView? ValidationSet { get; set; }

    /// <summary>Receives a report synchronously on the training thread every <see cref="ReportEvery"/> steps and at each
    /// epoch end (the same reports go to <c>mlContext.Log</c>); its validation metric is 1 − CER (best path). Not saved.
    /// Default: null.</summary>
    [JsonIgnore]
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training before the next batch with an <see cref="OperationCanceledException"/>; not saved.
    /// Default: none.</summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Ends training after the current batch without an exception, as if the last epoch had been reached: the
    /// interrupted epoch is validated (when there is validation data) and competes for the best epoch, the best weights
    /// are restored as usual, and <c>Fit</c> returns the model, whose <c>History.Interrupted</c> is true; not saved.
    /// Default: none.</summary>
    [JsonIgnore]
    public CancellationToken StopToken { get; set; }

    /// <summary>Report progress every this many steps, ≥ 0 (0: only at epoch ends). Default: 50.</summary>
    public int ReportEvery { get; set; } = 50;

    /// <summary>Early stopping on the validation part (metric <see cref="ValidationMetric.Accuracy"/> means 1 − CER of
    /// best-path decoding), or null to run every epoch and keep the best one's weights. Default: patience 4 on
    /// 1 − CER, restoring the best epoch's weights.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; set; } = new() { Metric = ValidationMetric.Accuracy, Patience = 4 };

    /// <summary>Beam width of CTC prefix beam search, from 1 to 1024; 1 decodes by best path (merge repeats, drop
    /// blanks). Default: 1.</summary>
    public int BeamWidth { get; set; } = 1;

    /// <summary>Hypotheses written to <see cref="HypothesesColumnName"/>, from 1 to <see cref="BeamWidth"/> (1 adds no
    /// hypothesis columns). Default: 1.</summary>
    public int TopK { get; set; } = 1;

    /// <summary>Order n of the character n-gram language model used by beam search, from 0 to 16; 0 means no language
    /// model. The model is trained at <c>Fit</c> (after the network) from <see cref="LanguageModelFile"/> when set, else
    /// from the training rows' labels, and saved with the model. Default: 0.</summary>
    public int LanguageModelOrder { get; set; }

    /// <summary>Smoothing of the language model. Default: <see cref="LanguageModelSmoothing.KneserNey"/>.</summary>
    public LanguageModelSmoothing LanguageModelSmoothing { get; set; } = LanguageModelSmoothing.KneserNey;

    /// <summary>A UTF-8 text file, one sentence per line, to train the language model from instead of the training
    /// labels. Default: null.</summary>
    public string? LanguageModelFile { get; set; }

    /// <summary>Weight α of the language model's log-probability in beam search, ≥ 0. Default: 0.5.</summary>
    public double LanguageModelWeight { get; set; } = 0.5;

    /// <summary>Insertion bonus β added per emitted character in beam search (offsets the language model's bias to short
    /// outputs). Default: 0.</summary>
    public double InsertionBonus { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A column name is empty, both or neither input columns are set, or output names clash.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        RequireName(LabelColumnName, nameof(LabelColumnName));
        if ((ImageColumnName is null) == (FeaturesColumnName is null))
        {
            throw new ArgumentException(
                $"Set exactly one of {nameof(ImageColumnName)} and {nameof(FeaturesColumnName)}; got '{ImageColumnName}' and '{FeaturesColumnName}'.",
                nameof(ImageColumnName));
        }

        RequireName(ImageColumnName ?? FeaturesColumnName, ImageColumnName is null ? nameof(FeaturesColumnName) : nameof(ImageColumnName));
        RequireName(PredictedTextColumnName, nameof(PredictedTextColumnName));
        RequireName(FrameProbabilitiesColumnName, nameof(FrameProbabilitiesColumnName));
        RequireName(HypothesesColumnName, nameof(HypothesesColumnName));
        RequireName(HypothesisScoresColumnName, nameof(HypothesisScoresColumnName));
        if (Alphabet is { } alphabet && (alphabet.Length == 0 || alphabet.Distinct().Count() != alphabet.Length))
        {
            throw new ArgumentException($"{nameof(Alphabet)} must be non-empty with no repeated character; got \"{alphabet}\".", nameof(Alphabet));
        }

        Arguments.Range(ImageHeight, 8, 512, nameof(ImageHeight));
        Arguments.Range(HiddenSize, 1, 4096, nameof(HiddenSize));
        Arguments.Range(LayerCount, 1, 8, nameof(LayerCount));
        Arguments.Range(MaxEpochs, 1, int.MaxValue, nameof(MaxEpochs));
        Arguments.Range(BatchSize, 1, int.MaxValue, nameof(BatchSize));
        Arguments.Range(PredictionBatchSize, 1, int.MaxValue, nameof(PredictionBatchSize));
        Arguments.Range(ReportEvery, 0, int.MaxValue, nameof(ReportEvery));
        Arguments.Range(BeamWidth, 1, 1024, nameof(BeamWidth));
        Arguments.Range(TopK, 1, BeamWidth, nameof(TopK));
        Arguments.Range(LanguageModelOrder, 0, 16, nameof(LanguageModelOrder));
        Arguments.Defined(LanguageModelSmoothing, nameof(LanguageModelSmoothing));
        Arguments.NonNegative(LanguageModelWeight, nameof(LanguageModelWeight));
        if (!double.IsFinite(InsertionBonus))
        {
            throw new ArgumentOutOfRangeException(nameof(InsertionBonus), InsertionBonus, "InsertionBonus must be a finite number.");
        }

        if (LanguageModelFile is not null && LanguageModelOrder == 0)
        {
            throw new ArgumentException($"{nameof(LanguageModelFile)} is set but {nameof(LanguageModelOrder)} is 0 (no language model).", nameof(LanguageModelFile));
        }

        Arguments.HalfOpen(Dropout, 0, 1, nameof(Dropout));
        Arguments.Positive(LearningRate, nameof(LearningRate));
        Arguments.NonNegative(GradientClipNorm, nameof(GradientClipNorm));
        Arguments.HalfOpen(ValidationFraction, 0, 1, nameof(ValidationFraction));
        ConvolutionBlock[] blocks = EffectiveBlocks();
        bool image = ImageColumnName is not null;
        for (int i = 0; i < blocks.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(blocks[i], $"{nameof(ConvolutionBlocks)}[{i}]");
            blocks[i].Validate(image, $"{nameof(ConvolutionBlocks)}[{i}]");
        }

        int heightReduction = blocks.Aggregate(1, (r, b) => r * b.HeightPool);
        if (image && ImageHeight % heightReduction != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ImageHeight), ImageHeight,
                $"{nameof(ImageHeight)} ({ImageHeight}) must be divisible by the product of the blocks' height pools ({heightReduction}).");
        }

        EarlyStopping?.Validate();
        string[] outputs = [PredictedTextColumnName, FrameProbabilitiesColumnName, HypothesesColumnName, HypothesisScoresColumnName];
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length)
        {
            throw new ArgumentException($"The output column names must differ: {string.Join(", ", outputs)}.", nameof(PredictedTextColumnName));
        }
    }

    /// <summary>A deep copy (blocks and early-stopping options are copied too).</summary>
    /// <returns>The copy.</returns>
    public CtcRecognizerOptions Clone()
    {
        var copy = (CtcRecognizerOptions)MemberwiseClone();
        copy.ConvolutionBlocks = ConvolutionBlocks?.ToArray();
        copy.EarlyStopping = EarlyStopping?.Clone();
        return copy;
    }

    /// <summary>The blocks the network is built with: <see cref="ConvolutionBlocks"/> or the input kind's default.</summary>
    internal ConvolutionBlock[] EffectiveBlocks() => ConvolutionBlocks ?? (ImageColumnName is not null
        ? [new(32, 2, 2), new(64, 2, 2), new(128, 2, 1), new(128, 2, 1)]
        : [new(128, 1, 2), new(128, 1, 2)]);

    private static void RequireName(string? name, string property)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{property} must name a column.", property);
        }
    }
}
