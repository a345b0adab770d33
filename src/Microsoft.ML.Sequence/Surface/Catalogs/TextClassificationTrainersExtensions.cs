using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML;

/// <summary>The recurrent text classifier on ML.NET's classification catalogs:
/// <c>mlContext.BinaryClassification.Trainers.RecurrentTextClassifier(…)</c> for a Boolean label and
/// <c>mlContext.MulticlassClassification.Trainers.RecurrentTextClassifier(…)</c> for a key label.</summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
///     .Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(labelColumnName: "Label", textColumnName: "Text"))
///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
/// ITransformer model = pipeline.Fit(training);
/// var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
/// </code>
/// </example>
public static class TextClassificationTrainersExtensions
{
    /// <summary>A binary recurrent text classifier (BiLSTM over word embeddings by default).</summary>
    /// <param name="trainers">The binary classification trainers of an <c>MLContext</c>.</param>
    /// <param name="labelColumnName">The Boolean label column. Default: "Label".</param>
    /// <param name="textColumnName">The text column: Text, a vector of Text or a vector of keys. Default: "Text".</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="RecurrentTextClassifierOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Rows per optimiser step; null keeps <see cref="RecurrentTextClassifierOptions.BatchSize"/>.</param>
    /// <returns>The estimator; its transformer adds Score (margin), Probability and PredictedLabel (Boolean).</returns>
    public static RecurrentTextClassifier RecurrentTextClassifier(this BinaryClassificationCatalog.BinaryClassificationTrainers trainers,
        string labelColumnName = "Label", string textColumnName = "Text", int? maxEpochs = null, int? batchSize = null) =>
        trainers.RecurrentTextClassifier(Options(labelColumnName, textColumnName, maxEpochs, batchSize));

    /// <summary>A binary recurrent text classifier with every option.</summary>
    /// <param name="trainers">The binary classification trainers of an <c>MLContext</c>.</param>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    public static RecurrentTextClassifier RecurrentTextClassifier(this BinaryClassificationCatalog.BinaryClassificationTrainers trainers,
        RecurrentTextClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new RecurrentTextClassifier(MlNetInternals.CatalogEnvironment(trainers), options, binary: true);
    }

    /// <summary>A multiclass recurrent text classifier (BiLSTM over word embeddings by default).</summary>
    /// <param name="trainers">The multiclass classification trainers of an <c>MLContext</c>.</param>
    /// <param name="labelColumnName">The key label column (from <c>MapValueToKey</c>). Default: "Label".</param>
    /// <param name="textColumnName">The text column: Text, a vector of Text or a vector of keys. Default: "Text".</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="RecurrentTextClassifierOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Rows per optimiser step; null keeps <see cref="RecurrentTextClassifierOptions.BatchSize"/>.</param>
    /// <returns>The estimator; its transformer adds PredictedLabel (key) and Score (probabilities).</returns>
    public static RecurrentTextClassifier RecurrentTextClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers trainers,
        string labelColumnName = "Label", string textColumnName = "Text", int? maxEpochs = null, int? batchSize = null) =>
        trainers.RecurrentTextClassifier(Options(labelColumnName, textColumnName, maxEpochs, batchSize));

    /// <summary>A multiclass recurrent text classifier with every option.</summary>
    /// <param name="trainers">The multiclass classification trainers of an <c>MLContext</c>.</param>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    public static RecurrentTextClassifier RecurrentTextClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers trainers,
        RecurrentTextClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new RecurrentTextClassifier(MlNetInternals.CatalogEnvironment(trainers), options, binary: false);
    }

    private static RecurrentTextClassifierOptions Options(string labelColumnName, string textColumnName, int? maxEpochs, int? batchSize)
    {
        var options = new RecurrentTextClassifierOptions { LabelColumnName = labelColumnName, TextColumnName = textColumnName };
        options.MaxEpochs = maxEpochs ?? options.MaxEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        return options;
    }
}
