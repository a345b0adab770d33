using Microsoft.ML.Sequence.Estimators.ImageCaptioning;

namespace Microsoft.ML;

/// <summary>The image captioner on our catalog: <c>mlContext.Sequence.Trainers.ImageCaptioner(…)</c>.</summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var pipeline = ml.Transforms.LoadImages("Image", imageFolder: root, inputColumnName: "ImagePath")
///     .Append(ml.Sequence.Trainers.ImageCaptioner(labelColumnName: "Caption", imageColumnName: "Image"));
/// ITransformer model = pipeline.Fit(training);
/// var metrics = ml.Sequence.EvaluateCaptioning(model.Transform(test), "References", "PredictedCaption");
/// </code>
/// </example>
public static class ImageCaptioningTrainersExtensions
{
    /// <summary>An image captioner: conv encoder + LSTM decoder with additive soft attention (Show, Attend and Tell).</summary>
    /// <param name="trainers">The sequence trainers of an <c>MLContext</c> (<c>mlContext.Sequence.Trainers</c>).</param>
    /// <param name="labelColumnName">The caption column (Text), one caption per row. Default: "Caption".</param>
    /// <param name="imageColumnName">The image column (from <c>LoadImages</c>). Default: "Image".</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="ImageCaptionerOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Rows per optimiser step; null keeps <see cref="ImageCaptionerOptions.BatchSize"/>.</param>
    /// <returns>The estimator; its transformer adds PredictedCaption (Text).</returns>
    public static ImageCaptioner ImageCaptioner(this SequenceCatalog.SequenceTrainers trainers, string labelColumnName = "Caption",
        string imageColumnName = "Image", int? maxEpochs = null, int? batchSize = null)
    {
        var options = new ImageCaptionerOptions { LabelColumnName = labelColumnName, ImageColumnName = imageColumnName };
        options.MaxEpochs = maxEpochs ?? options.MaxEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        return trainers.ImageCaptioner(options);
    }

    /// <summary>An image captioner with every option.</summary>
    /// <param name="trainers">The sequence trainers of an <c>MLContext</c>.</param>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    public static ImageCaptioner ImageCaptioner(this SequenceCatalog.SequenceTrainers trainers, ImageCaptionerOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new ImageCaptioner(trainers.Environment, options);
    }
}
