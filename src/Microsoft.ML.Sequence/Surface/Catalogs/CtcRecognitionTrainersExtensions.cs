using Microsoft.ML.Sequence.Estimators.CtcRecognition;

namespace Microsoft.ML;

/// <summary>The CTC recognizer on our sequence catalog: <c>mlContext.Sequence.Trainers.CtcRecognizer(…)</c>, for text-line
/// images or for feature sequences such as log-mel spectrograms.</summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var ocr = ml.Transforms.LoadImages("Image", imageFolder: root, inputColumnName: "ImagePath")
///     .Append(ml.Sequence.Trainers.CtcRecognizer(labelColumnName: "Text", imageColumnName: "Image"));
/// ITransformer model = ocr.Fit(training);
/// IDataView recognised = model.Transform(test); // PredictedText
/// </code>
/// </example>
public static class CtcRecognitionTrainersExtensions
{
    /// <summary>A CRNN recognizer of text-line images (see <see cref="CtcRecognizerOptions"/> for every setting and its default).</summary>
    /// <param name="trainers">The sequence trainers of an <c>MLContext</c>.</param>
    /// <param name="labelColumnName">The transcriptions (Text). Default: "Text".</param>
    /// <param name="imageColumnName">The images (<c>MLImage</c>, e.g. from <c>LoadImages</c>). Default: "Image".</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="CtcRecognizerOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Rows per optimiser step; null keeps <see cref="CtcRecognizerOptions.BatchSize"/>.</param>
    /// <param name="hiddenSize">BiLSTM size per direction; null keeps <see cref="CtcRecognizerOptions.HiddenSize"/>.</param>
    /// <returns>The estimator; its transformer adds PredictedText.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static CtcRecognizer CtcRecognizer(this SequenceCatalog.SequenceTrainers trainers, string labelColumnName = "Text",
        string imageColumnName = "Image", int? maxEpochs = null, int? batchSize = null, int? hiddenSize = null) =>
        trainers.CtcRecognizer(Options(new CtcRecognizerOptions { LabelColumnName = labelColumnName, ImageColumnName = imageColumnName },
            maxEpochs, batchSize, hiddenSize));

    /// <summary>A recognizer of feature sequences, e.g. log-mel frames (a 1-D convolutional front-end instead of the 2-D one).</summary>
    /// <param name="trainers">The sequence trainers of an <c>MLContext</c>.</param>
    /// <param name="labelColumnName">The transcriptions (Text).</param>
    /// <param name="featuresColumnName">The features: Vector&lt;Single&gt; with dimensions [T, F] (T may be 0, variable), frame-major.</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="CtcRecognizerOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Rows per optimiser step; null keeps <see cref="CtcRecognizerOptions.BatchSize"/>.</param>
    /// <param name="hiddenSize">BiLSTM size per direction; null keeps <see cref="CtcRecognizerOptions.HiddenSize"/>.</param>
    /// <param name="learningRate">Adam's learning rate; null keeps <see cref="CtcRecognizerOptions.LearningRate"/>.</param>
    /// <returns>The estimator; its transformer adds PredictedText.</returns>
    /// <remarks>Name the column arguments (<c>featuresColumnName: …</c>): both overloads start with two strings.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static CtcRecognizer CtcRecognizer(this SequenceCatalog.SequenceTrainers trainers, string labelColumnName,
        string featuresColumnName, int? maxEpochs = null, int? batchSize = null, int? hiddenSize = null, double? learningRate = null)
    {
        CtcRecognizerOptions options = Options(new CtcRecognizerOptions { LabelColumnName = labelColumnName, FeaturesColumnName = featuresColumnName },
            maxEpochs, batchSize, hiddenSize);
        options.LearningRate = learningRate ?? options.LearningRate;
        return trainers.CtcRecognizer(options);
    }

    /// <summary>A CTC recognizer with every option.</summary>
    /// <param name="trainers">The sequence trainers of an <c>MLContext</c>.</param>
    /// <param name="options">The options (validated and copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">Both or neither of the image and features columns are set.</exception>
    public static CtcRecognizer CtcRecognizer(this SequenceCatalog.SequenceTrainers trainers, CtcRecognizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new CtcRecognizer(trainers.Environment, options);
    }

    private static CtcRecognizerOptions Options(CtcRecognizerOptions options, int? maxEpochs, int? batchSize, int? hiddenSize)
    {
        options.MaxEpochs = maxEpochs ?? options.MaxEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        options.HiddenSize = hiddenSize ?? options.HiddenSize;
        return options;
    }
}
