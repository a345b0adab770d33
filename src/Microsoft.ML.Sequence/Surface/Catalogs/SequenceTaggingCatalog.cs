using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;

namespace Microsoft.ML.Sequence;

/// <summary>Sequence tagging (part-of-speech tags, named entities, chunks: one tag per token): trainers in
/// <see cref="Trainers"/> and <see cref="Evaluate"/>. Reached as <c>context.SequenceTagging</c>.</summary>
public sealed class SequenceTaggingCatalog : SequenceCatalogBase
{
    /// <summary>Creates the catalog for <paramref name="context"/> (use <c>context.SequenceTagging</c>, which creates it once).</summary>
    /// <param name="context">The owning context.</param>
    internal SequenceTaggingCatalog(SequenceContext context)
        : base(context)
    {
        Trainers = new SequenceTaggingTrainers(context);
    }

    /// <summary>The tagging trainers, added as extension methods on <see cref="SequenceTaggingTrainers"/>.</summary>
    public SequenceTaggingTrainers Trainers { get; }

    /// <summary>Token accuracy and span precision, recall and F1 (conlleval rules) of predicted tags against gold tags.</summary>
    /// <param name="data">Scored rows, e.g. the output of a tagger's <c>Transform</c>.</param>
    /// <param name="labelColumnName">Gold tags (vector of text). Default: <c>"Tags"</c>.</param>
    /// <param name="predictedLabelColumnName">Predicted tags (vector of text, as long as the gold one in every row).
    /// Default: <c>"PredictedTags"</c>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing or not a vector of text.</exception>
    /// <exception cref="InvalidDataException">A row's gold and predicted tags differ in length (row named).</exception>
    public SpanF1Metrics Evaluate(ISequenceDataView data, string labelColumnName = "Tags", string predictedLabelColumnName = "PredictedTags")
    {
        ArgumentNullException.ThrowIfNull(data);
        int gold = TaggerColumns.RequireTextVector(data.Schema, labelColumnName, "gold tag", nameof(labelColumnName));
        int predicted = TaggerColumns.RequireTextVector(data.Schema, predictedLabelColumnName, "predicted tag", nameof(predictedLabelColumnName));
        (List<string[]> goldTags, List<string[]>? predictedTags) = TaggerColumns.ReadTextVectors(data, gold, predicted, Context.CancellationToken);
        return SpanEvaluator.Evaluate(goldTags.Select((g, i) => ((IReadOnlyList<string>)g, (IReadOnlyList<string>)predictedTags![i])));
    }

    /// <summary>Carries the tagging trainers (extension methods, see <c>SequenceTaggingTrainersExtensions</c>); third
    /// parties add theirs the same way.</summary>
    public sealed class SequenceTaggingTrainers : SequenceCatalogBase
    {
        internal SequenceTaggingTrainers(SequenceContext context)
            : base(context)
        {
        }
    }
}
