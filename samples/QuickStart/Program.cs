using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using DataLocator = Microsoft.ML.Sequence.Data.DataLocator;

// Quick start: a BiLSTM sentiment classifier in an ML.NET program, on the UCI "Sentiment Labelled Sentences" (Yelp,
// IMDB, Amazon): load with ML.NET's loader, split, fit our trainer, evaluate with ML.NET's evaluator, predict one row.
// Usage: dotnet run -c Release --project samples/QuickStart [--data DIR] [--seed N] [--epochs N]
string? dataOption = OptionValue(args, "--data");
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
int? epochs = OptionValue(args, "--epochs") is string e ? int.Parse(e, CultureInfo.InvariantCulture) : null;
string[] files = ["yelp_labelled.txt", "imdb_labelled.txt", "amazon_cells_labelled.txt"];
string directory = dataOption is not null ? Path.Combine(dataOption, "sentiment")
    : DataLocator.TryFindDataDirectory(out string? found, out IReadOnlyList<string> tried) ? Path.Combine(found!, "sentiment")
    : string.Join("; ", tried.Select(t => Path.Combine(t, "sentiment")));
if (files.Any(f => !File.Exists(Path.Combine(directory, f))))
{
    Console.Error.WriteLine($"The UCI sentiment data was not found: expected {string.Join(", ", files)} in <data>/sentiment/ (looked in {directory}).");
    Console.Error.WriteLine($"Pass --data <data directory> or set {DataLocator.EnvironmentVariable}.");
    return 2;
}

var ml = new MLContext(seed);
// One loader over the three files (sentence TAB 0|1, no header; quotes are plain characters).
IDataView data = ml.Data.LoadFromTextFile<Sentence>(Path.Combine(directory, "*_labelled.txt"), '\t', hasHeader: false, allowQuoting: false);
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: seed);
Console.WriteLine($"UCI sentences: {Rows(split.TrainSet)} train (10% of them pick the epoch), {Rows(split.TestSet)} test");

// Our trainer is an ML.NET estimator: it tokenises the Text column, holds out 10% of the rows to pick the epoch,
// and adds Score, Probability and PredictedLabel, the columns ML.NET's binary evaluator reads.
var pipeline = ml.BinaryClassification.Trainers.RecurrentTextClassifier(labelColumnName: "Label", textColumnName: "Text", maxEpochs: epochs);
using var model = pipeline.Fit(split.TrainSet);
CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"UCI test: accuracy {metrics.Accuracy:0.0000}, AUC {metrics.AreaUnderRocCurve:0.0000}, F1 {metrics.F1Score:0.0000} " +
    $"(kept epoch {model.History!.BestEpoch} of {model.History.Epochs.Count})"));

using var engine = ml.Model.CreatePredictionEngine<Sentence, Prediction>(model);
foreach (string text in new[] { "The food was cold and the waiter was rude.", "Great phone, the battery lasts for days!" })
{
    Prediction p = engine.Predict(new Sentence { Text = text });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  P(positive) {p.Probability:0.000} → {(p.PredictedLabel ? "positive" : "negative")}: \"{text}\""));
}

Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"METRIC quickstart_uci_accuracy {metrics.Accuracy:0.####}"));
return 0;

static int Rows(IDataView view) => view.GetColumn<bool>("Label").Count();

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>A row of the UCI files: the sentence, then its label (1 positive, 0 negative).</summary>
internal sealed class Sentence
{
    [LoadColumn(0)]
    public string Text { get; set; } = "";

    [LoadColumn(1)]
    public bool Label { get; set; }
}

/// <summary>The classifier's output columns the program reads.</summary>
internal sealed class Prediction
{
    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}
