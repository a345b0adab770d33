// The README's API block in an application that got Microsoft.ML.Sequence from its package: both catalog trainers in
// ML.NET pipelines, Fit, Evaluate, Save/Load and a prediction engine. It runs only if the package's buildTransitive
// loader fix ran on this application's output (TorchSharp's native library loads) and if ML.NET can load our
// transformer from a saved model by the assembly name stored in it.
using Microsoft.ML;
using Microsoft.ML.Data;

var ml = new MLContext(seed: 1);
string[] good = ["good", "great", "fine", "lovely"], bad = ["bad", "awful", "poor", "dull"];
var rows = Enumerable.Range(0, 64).Select(i => new Review
{
    Text = $"a {(i % 2 == 0 ? good : bad)[i % 4]} film , really {(i % 2 == 0 ? good : bad)[(i / 2) % 4]}",
    Sentiment = i % 2 == 0,
    Label = i % 2 == 0 ? "positive" : "negative",
}).ToList();
IDataView data = ml.Data.LoadFromEnumerable(rows);

// Binary: a Boolean label; the model adds Score, Probability and PredictedLabel.
var binary = ml.BinaryClassification.Trainers.RecurrentTextClassifier(labelColumnName: "Sentiment", textColumnName: "Text", maxEpochs: 1);
ITransformer binaryModel = binary.Fit(data);
CalibratedBinaryClassificationMetrics b = ml.BinaryClassification.Evaluate(binaryModel.Transform(data), labelColumnName: "Sentiment");

// Multiclass: a key label from MapValueToKey, mapped back to its values after prediction.
var multiclass = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.MulticlassClassification.Trainers.RecurrentTextClassifier(labelColumnName: "Label", textColumnName: "Text", maxEpochs: 1))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
ITransformer multiclassModel = multiclass.Fit(data);
MulticlassClassificationMetrics m = ml.MulticlassClassification.Evaluate(multiclassModel.Transform(data));

string path = Path.Combine(Path.GetTempPath(), $"package-check-{Environment.ProcessId}.zip");
ml.Model.Save(multiclassModel, data.Schema, path);
ITransformer loaded = new MLContext(seed: 1).Model.Load(path, out _);
File.Delete(path);
using var engine = ml.Model.CreatePredictionEngine<Review, Prediction>(loaded);
Prediction p = engine.Predict(new Review { Text = "a great film" });
using var binaryEngine = ml.Model.CreatePredictionEngine<Review, BinaryPrediction>(binaryModel);
BinaryPrediction q = binaryEngine.Predict(new Review { Text = "a great film" });
Console.WriteLine($"package consumer: binary accuracy {b.Accuracy:0.00}, multiclass accuracy {m.MicroAccuracy:0.00}; " +
    $"reloaded multiclass model says '{p.PredictedLabel}' ({string.Join(", ", p.Score.Select(s => s.ToString("0.00")))}), binary P(positive) {q.Probability:0.00}");
return p.Score.Length == 2 ? 0 : 1;

internal sealed class Review
{
    public string Text { get; set; } = "";

    public bool Sentiment { get; set; }

    public string Label { get; set; } = "";
}

internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}

internal sealed class BinaryPrediction
{
    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}
