using Microsoft.ML.Sequence.Estimators.TextClassification;

namespace Microsoft.ML.Sequence;

/// <summary>Text classification trainers: <c>context.TextClassification.Trainers.RecurrentClassifier(…)</c>.</summary>
public static class TextClassificationTrainersExtensions
{
    /// <summary>A recurrent text classifier with the common knobs; every knob left null keeps the default of
    /// <see cref="RecurrentTextClassifierOptions"/> (a BiLSTM with max pooling).</summary>
    /// <param name="trainers">The catalog's trainers.</param>
    /// <param name="labelColumnName">Label column (Boolean, Text, Int32, Int64 or a key). Default: "Label".</param>
    /// <param name="textColumnName">Text column (or a vector of keys with a vocabulary). Default: "Text".</param>
    /// <param name="cell">Recurrent cell, or null for the options' default. Default: null.</param>
    /// <param name="hiddenSize">Hidden units per direction, or null for the options' default. Default: null.</param>
    /// <param name="maxEpochs">Most epochs, or null for the options' default. Default: null.</param>
    /// <param name="batchSize">Rows per batch, or null for the options' default. Default: null.</param>
    /// <param name="learningRate">Learning rate, or null for the options' default. Default: null.</param>
    /// <returns>The estimator.</returns>
    public static RecurrentTextClassifier RecurrentClassifier(this TextClassificationCatalog.TextClassificationTrainers trainers,
        string labelColumnName = "Label", string textColumnName = "Text", TextEncoderCell? cell = null, int? hiddenSize = null,
        int? maxEpochs = null, int? batchSize = null, double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        var options = new RecurrentTextClassifierOptions { LabelColumnName = labelColumnName, TextColumnName = textColumnName };
        options.Cell = cell ?? options.Cell;
        options.HiddenSize = hiddenSize ?? options.HiddenSize;
        options.MaxEpochs = maxEpochs ?? options.MaxEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        options.LearningRate = learningRate ?? options.LearningRate;
        return new RecurrentTextClassifier(trainers.Context, options);
    }

    /// <summary>A recurrent text classifier with every option.</summary>
    /// <param name="trainers">The catalog's trainers.</param>
    /// <param name="options">The options; validated and copied.</param>
    /// <returns>The estimator.</returns>
    public static RecurrentTextClassifier RecurrentClassifier(this TextClassificationCatalog.TextClassificationTrainers trainers,
        RecurrentTextClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new RecurrentTextClassifier(trainers.Context, options);
    }
}
