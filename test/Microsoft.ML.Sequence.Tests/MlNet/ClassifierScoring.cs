using System.Globalization;
using System.Text;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Tests.Support;

namespace Microsoft.ML.Sequence.Tests.MlNet;

/// <summary>A tiny multiclass text classifier pipeline and what a test (or a child process) prints from it.</summary>
internal static class ClassifierScoring
{
    internal static readonly string[] Inputs = ["good fine nice", "bad awful poor", "good bad", "unseen words only", ""];

    /// <summary>MapValueToKey → NormalizeText → our multiclass trainer → MapKeyToValue, fitted on 24 separable rows.</summary>
    internal static (ITransformer Model, DataViewSchema Schema) Fit(MLContext ml, RecurrentTextClassifierOptions? options = null)
    {
        IDataView data = ml.Data.LoadFromEnumerable(SentimentData.Separable(24));
        options ??= new RecurrentTextClassifierOptions { EmbeddingSize = 6, HiddenSize = 5, MaxEpochs = 2, BatchSize = 4, PredictionBatchSize = 2 };
        options.TextColumnName = "Sentence";
        options.LabelColumnName = "Sentiment";
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("Sentiment")
            .Append(ml.Transforms.Text.NormalizeText("Sentence"))
            .Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        return (model, data.Schema);
    }

    /// <summary>One line per input: Transform's scores and label, then the prediction engine's, round-trip formatted.</summary>
    internal static string Score(MLContext ml, ITransformer model)
    {
        IDataView inputs = ml.Data.LoadFromEnumerable(Inputs.Select(s => new LabelledText { Sentence = s, Sentiment = "pos" }).ToArray());
        MulticlassPrediction[] transformed = ml.Data.CreateEnumerable<MulticlassPrediction>(model.Transform(inputs), reuseRowObject: false).ToArray();
        // Not disposed: disposing an ML.NET prediction engine disposes its model.
        var engine = ml.Model.CreatePredictionEngine<LabelledText, MulticlassPrediction>(model);
        var text = new StringBuilder();
        for (int i = 0; i < Inputs.Length; i++)
        {
            MulticlassPrediction single = engine.Predict(new LabelledText { Sentence = Inputs[i], Sentiment = "pos" });
            text.Append(Line(transformed[i])).Append(" | ").Append(Line(single)).Append('\n');
        }

        return text.ToString();
    }

    private static string Line(MulticlassPrediction p) =>
        p.PredictedLabel + " " + string.Join(" ", p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
}
