using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML;

/// <summary>The recurrent sequence tagger on ML.NET's multiclass catalog:
/// <c>mlContext.MulticlassClassification.Trainers.RecurrentSequenceTagger(…)</c>, one class (tag) per token.</summary>
/// <example>
/// <code>
/// var ml = new MLContext(seed: 1);
/// var pipeline = ml.Transforms.Conversion.MapValueToKey("Tags", "Upos")
///     .Append(ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(labelColumnName: "Tags", tokensColumnName: "Tokens"))
///     .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedTags", "PredictedLabel"));
/// ITransformer model = pipeline.Fit(training);
/// IDataView tagged = model.Transform(test); // PredictedTags: one tag string per token
/// </code>
/// </example>
public static class SequenceTaggingTrainersExtensions
{
    /// <summary>A BiLSTM tagger over word embeddings and a character-level word encoder, with a softmax or CRF output
    /// (see <see cref="RecurrentSequenceTaggerOptions"/> for every setting and its default).</summary>
    /// <param name="trainers">The multiclass classification trainers of an <c>MLContext</c>.</param>
    /// <param name="labelColumnName">The gold tags: a vector of keys (from <c>MapValueToKey</c>), one per token. Default: "Label".</param>
    /// <param name="tokensColumnName">The tokens: a vector of Text or of keys. Default: "Tokens".</param>
    /// <param name="output">The output layer; null keeps <see cref="RecurrentSequenceTaggerOptions.Output"/>.</param>
    /// <param name="maxEpochs">Most passes over the training rows; null keeps <see cref="RecurrentSequenceTaggerOptions.MaxEpochs"/>.</param>
    /// <param name="batchSize">Sentences per optimiser step; null keeps <see cref="RecurrentSequenceTaggerOptions.BatchSize"/>.</param>
    /// <param name="hiddenSize">Hidden size per direction; null keeps <see cref="RecurrentSequenceTaggerOptions.HiddenSize"/>.</param>
    /// <returns>The estimator; its transformer adds PredictedLabel (a vector of keys, one per token) and Score.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static RecurrentSequenceTagger RecurrentSequenceTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers trainers,
        string labelColumnName = "Label", string tokensColumnName = "Tokens", TaggerOutput? output = null, int? maxEpochs = null,
        int? batchSize = null, int? hiddenSize = null)
    {
        var options = new RecurrentSequenceTaggerOptions { LabelColumnName = labelColumnName, TokensColumnName = tokensColumnName };
        options.Output = output ?? options.Output;
        options.MaxEpochs = maxEpochs ?? options.MaxEpochs;
        options.BatchSize = batchSize ?? options.BatchSize;
        options.HiddenSize = hiddenSize ?? options.HiddenSize;
        return trainers.RecurrentSequenceTagger(options);
    }

    /// <summary>A BiLSTM tagger with every option.</summary>
    /// <param name="trainers">The multiclass classification trainers of an <c>MLContext</c>.</param>
    /// <param name="options">The options (validated and copied; later changes have no effect).</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static RecurrentSequenceTagger RecurrentSequenceTagger(this MulticlassClassificationCatalog.MulticlassClassificationTrainers trainers,
        RecurrentSequenceTaggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        return new RecurrentSequenceTagger(MlNetInternals.CatalogEnvironment(trainers), options);
    }
}
