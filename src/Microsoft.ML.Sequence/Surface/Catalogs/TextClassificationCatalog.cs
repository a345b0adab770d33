using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.TextClassification;

namespace Microsoft.ML.Sequence;

/// <summary>Text classification: trainers (<see cref="Trainers"/>, filled by extension methods such as
/// <see cref="TextClassificationTrainersExtensions.RecurrentClassifier(TextClassificationCatalog.TextClassificationTrainers, string, string, TextEncoderCell?, int?, int?, int?, double?)"/>)
/// and <see cref="Evaluate"/>. Reach it as <c>context.TextClassification</c>.</summary>
public sealed class TextClassificationCatalog : SequenceCatalogBase
{
    /// <summary>Creates the catalog; use <c>context.TextClassification</c>, which creates it once per context.</summary>
    /// <param name="context">The owning context.</param>
    public TextClassificationCatalog(SequenceContext context)
        : base(context)
    {
        Trainers = new TextClassificationTrainers(context);
    }

    /// <summary>The text classification trainers (extension methods on this object).</summary>
    public TextClassificationTrainers Trainers { get; }

    /// <summary>Scores predictions against their labels.</summary>
    /// <param name="predictions">Rows with the label and a model's output columns, e.g. from
    /// <see cref="TextClassifierTransformer.Transform"/>.</param>
    /// <param name="labelColumnName">The true labels (Boolean, Text, Int32, Int64 or a key). Default: "Label".</param>
    /// <param name="scoreColumnName">Class probabilities in key order (Vector&lt;Float32&gt;). Default: "Score".</param>
    /// <param name="predictedLabelColumnName">Predicted class: a key whose key values are the classes. Default: "PredictedLabel".</param>
    /// <param name="probabilityColumnName">Binary models: the positive class's probability, which ranks rows for AUC; when
    /// the column is absent the positive class's <c>Score</c> entry is used. Default: "Probability".</param>
    /// <param name="positiveClass">Binary models: the positive class's text; null means "1" or "true". Default: null.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type, or a row's label is not one of the
    /// model's classes; the message names the column or row.</exception>
    public TextClassificationMetrics Evaluate(ISequenceDataView predictions, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", string probabilityColumnName = "Probability", string? positiveClass = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        SequenceSchema schema = predictions.Schema;
        int label = Require(schema, labelColumnName, "label", t => LabelReader.IsSupported(t), LabelReader.SupportedTypes);
        int score = Require(schema, scoreColumnName, "score", t => t is VectorColumnType { ItemType: NumberColumnType n } && n.ClrType == typeof(float), "Vector<Float32>");
        int predicted = Require(schema, predictedLabelColumnName, "predicted label", t => t is KeyColumnType { Vocabulary: not null }, "a key with key values (the classes)");
        Vocabulary classes = ((KeyColumnType)schema[predicted].Type).Vocabulary!;
        int probability = schema.TryGetIndex(probabilityColumnName, out int p) && schema[p].Type == NumberColumnType.Float32 ? p : -1;
        int k = (int)classes.Count;
        int positive = k == 2 ? LabelReader.PositiveIndex(classes.Values, positiveClass, nameof(positiveClass)) : -1;
        Func<DataCursor, string?> readLabel = LabelReader.Create(schema[label].Type, label);
        var actual = new List<int>();
        var chosen = new List<int>();
        var ranking = new List<double>();
        double logLoss = 0;
        using (DataCursor cursor = predictions.GetCursor())
        {
            while (cursor.MoveNext())
            {
                string? value = readLabel(cursor);
                if (value is null || !classes.TryGetKey(value, out long key))
                {
                    throw new ArgumentException(
                        $"Row {cursor.Position}: label \"{value ?? "(missing)"}\" in column \"{labelColumnName}\" is not one of the classes {string.Join(", ", classes.Values)}.",
                        nameof(predictions));
                }

                float[] probabilities = cursor.GetValue<float[]>(score);
                if (probabilities.Length != k)
                {
                    throw new ArgumentException($"Row {cursor.Position}: column \"{scoreColumnName}\" has {probabilities.Length} values; expected {k} (one per class).", nameof(predictions));
                }

                long predictedKey = cursor.GetValue<long>(predicted);
                if (predictedKey < 1 || predictedKey > k)
                {
                    throw new ArgumentException($"Row {cursor.Position}: predicted key {predictedKey} in column \"{predictedLabelColumnName}\" is outside 1..{k}.", nameof(predictions));
                }

                actual.Add((int)key - 1);
                chosen.Add((int)predictedKey - 1);
                logLoss -= Math.Log(Math.Max(probabilities[key - 1], TextClassificationMetrics.ProbabilityFloor));
                if (positive >= 0)
                {
                    ranking.Add(probability >= 0 ? cursor.GetValue<float>(probability) : probabilities[positive]);
                }
            }
        }

        double? auc = positive >= 0 ? TextClassificationMetrics.AreaUnderCurve(ranking, actual.Select(a => a == positive).ToArray()) : null;
        return new TextClassificationMetrics(ClassConfusionTable.FromPairs(classes.Values, actual, chosen),
            actual.Count == 0 ? 0 : logLoss / actual.Count, auc);
    }

    private static int Require(SequenceSchema schema, string name, string role, Func<SequenceColumnType, bool> accepts, string expected)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!schema.TryGetIndex(name, out int index))
        {
            throw new ArgumentException(
                $"Evaluate: the predictions have no {role} column \"{name}\"; their columns are: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type})"))}.");
        }

        if (!accepts(schema[index].Type))
        {
            throw new ArgumentException($"Evaluate: {role} column \"{name}\" is {schema[index].Type}; expected {expected}.");
        }

        return index;
    }

    /// <summary>The object text classification trainers hang off (as extension methods), with the context they use.</summary>
    public sealed class TextClassificationTrainers : SequenceCatalogBase
    {
        internal TextClassificationTrainers(SequenceContext context)
            : base(context)
        {
        }
    }
}
