using Microsoft.ML.Sequence.Estimators.SequenceTagging;

namespace Microsoft.ML.Sequence;

/// <summary>The sequence-tagging trainers of <c>context.SequenceTagging.Trainers</c>.</summary>
public static class SequenceTaggingTrainersExtensions
{
    /// <summary>A BiLSTM tagger over word embeddings and a character-level word encoder, with a softmax or CRF output
    /// (see <see cref="RecurrentSequenceTaggerOptions"/> for every setting and its default).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="tokenColumnName">Tokens (vector of text). Default: <c>"Tokens"</c>.</param>
    /// <param name="tagColumnName">Gold tags (vector of text, one per token). Default: <c>"Tags"</c>.</param>
    /// <param name="output">Softmax or CRF output layer. Default: <see cref="TaggerOutput.Softmax"/>.</param>
    /// <param name="maxEpochs">Maximum number of epochs. Default: 8.</param>
    /// <param name="batchSize">Sentences per batch. Default: 32.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static RecurrentSequenceTagger RecurrentTagger(this SequenceTaggingCatalog.SequenceTaggingTrainers catalog,
        string tokenColumnName = "Tokens", string tagColumnName = "Tags", TaggerOutput output = TaggerOutput.Softmax,
        int maxEpochs = 8, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RecurrentSequenceTagger(catalog.Context, new RecurrentSequenceTaggerOptions
        {
            TokenColumnName = tokenColumnName,
            TagColumnName = tagColumnName,
            Output = output,
            MaxEpochs = maxEpochs,
            BatchSize = batchSize,
        });
    }

    /// <summary>A BiLSTM tagger configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Every setting; validated and copied.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static RecurrentSequenceTagger RecurrentTagger(this SequenceTaggingCatalog.SequenceTaggingTrainers catalog,
        RecurrentSequenceTaggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RecurrentSequenceTagger(catalog.Context, options);
    }
}
