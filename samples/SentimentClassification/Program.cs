using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Sequence;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using SentimentClassification;
using DataLocator = Microsoft.ML.Sequence.Data.DataLocator;

// Sentiment classification, the README's main job: one BiLSTM classifier trained from scratch (no pretrained vectors)
// on SST-2 train + 80% of the 3,000 UCI review sentences (split by the seed). A validation part carved from that
// training data picks the epoch and stops early; SST-2 dev and the UCI 20% are each scored once, at the end.
// Usage: dotnet run -c Release --project samples/SentimentClassification [--data DIR] [--seed N] [--epochs N]
string[] sst2Files = ["sst2/train.tsv", "sst2/dev.tsv"];
string[] uciFiles = ["sentiment/yelp_labelled.txt", "sentiment/imdb_labelled.txt", "sentiment/amazon_cells_labelled.txt"];
string? dataOption = OptionValue(args, "--data");
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
string? epochsOption = OptionValue(args, "--epochs");

string dataDirectory;
if (dataOption is not null)
{
    dataDirectory = dataOption;
}
else if (!DataLocator.TryFindDataDirectory(out string? found, out IReadOnlyList<string> tried))
{
    return Missing($"no data directory found; tried: {string.Join("; ", tried)}");
}
else
{
    dataDirectory = found!;
}

string[] missing = sst2Files.Concat(uciFiles).Where(f => !File.Exists(Path.Combine(dataDirectory, f))).ToArray();
if (missing.Length > 0)
{
    return Missing($"missing in {dataDirectory}: {string.Join(", ", missing)}");
}

var total = Stopwatch.StartNew();
var context = new SequenceContext(seed);
var header = new DelimitedTextOptions { HasHeader = true };
LoaderColumn[] sst2Columns =
[
    new("Label", BooleanColumnType.Instance, HeaderNames: ["label"]),
    new("Text", TextColumnType.Instance, HeaderNames: ["sentence", "content"]),
];
List<Review> sst2Train = Rows(context.Data.LoadFromDelimitedFile(Path.Combine(dataDirectory, sst2Files[0]), sst2Columns, header));
ISequenceDataView sst2Dev = context.Data.Cache(context.Data.LoadFromDelimitedFile(Path.Combine(dataDirectory, sst2Files[1]), sst2Columns, header));
var uci = new List<Review>();
foreach (string file in uciFiles)
{
    uci.AddRange(Rows(context.Data.LoadFromDelimitedFile<UciReview>(Path.Combine(dataDirectory, file), new DelimitedTextOptions { TrimWhitespace = true })));
}

TrainTestViews uciSplit = context.Data.TrainTestSplit(context.Data.LoadFromEnumerable(uci), testFraction: 0.2, seed: seed);
List<Review> uciTrain = context.Data.CreateEnumerable<Review>(uciSplit.TrainSet).ToList();
List<Review> uciTest = context.Data.CreateEnumerable<Review>(uciSplit.TestSet).ToList();
ISequenceDataView training = context.Data.Cache(context.Data.LoadFromEnumerable(sst2Train.Concat(uciTrain)));
Console.WriteLine($"data: SST-2 train {sst2Train.Count:N0} + UCI train {uciTrain.Count:N0} = {training.RowCount:N0} rows (10% of them validate); " +
    $"scored once: SST-2 dev {sst2Dev.RowCount:N0}, UCI test {uciTest.Count:N0}");

// The library's defaults (at most 9 epochs, about 1.5–2 min each here on one core);
// early stopping (patience 2 on validation accuracy) usually ends training sooner and keeps the best epoch's weights.
var options = new RecurrentTextClassifierOptions();
if (epochsOption is not null)
{
    options.MaxEpochs = int.Parse(epochsOption, CultureInfo.InvariantCulture);
}

Console.WriteLine($"model: embedding {options.EmbeddingSize}, {(options.Bidirectional ? "bi" : "")}{options.Cell} {options.HiddenSize}/direction × {options.LayerCount}, " +
    $"{options.Pooling} pooling, dropout {options.Dropout}, {options.Optimizer} {options.LearningRate}, batch {options.BatchSize}, clip {options.GradientClipNorm}, " +
    $"≤ {options.MaxEpochs} epochs, patience {options.EarlyStopping?.Patience} on validation accuracy");
var progress = new ConsoleProgress();
using TextClassifierTransformer model = context.TextClassification.Trainers.RecurrentClassifier(options).Fit(training, null, progress);
EpochSummary kept = model.History!.Epochs.First(e => e.Epoch == model.History.BestEpoch);
Console.WriteLine($"kept epoch {kept.Epoch} of {model.History.Epochs.Count}{(model.History.StoppedEarly ? " (stopped early)" : "")}, " +
    FormattableString.Invariant($"validation accuracy {kept.ValidationMetric:0.0000}; ") +
    $"{model.ParameterCount:N0} parameters, vocabulary {model.Vocabulary.Count:N0}; training took {total.Elapsed:mm\\:ss}");

TextClassificationMetrics sst2 = context.TextClassification.Evaluate(model.Transform(sst2Dev));
TextClassificationMetrics uciMetrics = context.TextClassification.Evaluate(model.Transform(uciSplit.TestSet));
double baseline = BagOfWordsBaseline.TrainAndScore(
    uciTrain.Select(r => (model.Tokenize(r.Text), r.Label)).ToList(), uciTest.Select(r => (model.Tokenize(r.Text), r.Label)).ToList(), (ulong)seed);

Console.WriteLine();
Console.WriteLine("SST-2 dev:");
Console.WriteLine(sst2);
Console.WriteLine("| model | test set | rows | accuracy | macro-F1 | AUC | log-loss |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Console.WriteLine(Row("BiLSTM (this library)", "SST-2 dev", sst2));
Console.WriteLine(Row("BiLSTM (this library)", "UCI 20%", uciMetrics));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bag-of-words logistic regression, UCI 80% only | UCI 20% | {uciTest.Count} | {baseline:0.0000} | | | |"));

Console.WriteLine();
Console.WriteLine("example predictions (UCI test sentences, then new ones, one at a time through a prediction engine):");
using var engine = context.Model.CreatePredictionEngine<Review, SentimentPrediction>(model);
IEnumerable<Review> examples = uciTest.Take(5).Concat([
    new Review { Text = "The battery died after two days and support never called back.", Label = false },
    new Review { Text = "Not bad at all, I would happily go back.", Label = true },
]);
foreach (Review example in examples)
{
    SentimentPrediction prediction = engine.Predict(example);
    string verdict = prediction.Probability >= 0.5f ? "positive" : "negative";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  P(positive) {prediction.Probability:0.000} → {verdict,-8} (true {(example.Label ? "positive" : "negative"),-8}) \"{example.Text}\""));
}

Console.WriteLine();
Console.WriteLine($"total time {total.Elapsed:mm\\:ss}");
Console.WriteLine(FormattableString.Invariant($"METRIC sst2_dev_accuracy {sst2.MicroAccuracy:0.####}"));
Console.WriteLine(FormattableString.Invariant($"METRIC uci_sentiment_test_accuracy {uciMetrics.MicroAccuracy:0.####}"));
Console.WriteLine(FormattableString.Invariant($"METRIC uci_bow_baseline_test_accuracy {baseline:0.####}"));
return 0;

int Missing(string detail)
{
    Console.Error.WriteLine("The sentiment sample needs SST-2 and the UCI Sentiment Labelled Sentences:");
    foreach (string file in sst2Files.Concat(uciFiles))
    {
        Console.Error.WriteLine($"  <data>/{file}");
    }

    Console.Error.WriteLine($"Pass --data <data directory> or set {DataLocator.EnvironmentVariable}; {detail}.");
    return 2;
}

List<Review> Rows(ISequenceDataView view) => context.Data.CreateEnumerable<Review>(view).ToList();

static string Row(string name, string set, TextClassificationMetrics m) => string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {set} | {m.RowCount} | {m.MicroAccuracy:0.0000} | {m.MacroF1:0.0000} | {m.Auc:0.0000} | {m.LogLoss:0.0000} |");

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>Prints progress reports as they come (synchronously, on the training thread).</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Phase == TrainingPhase.EpochEnd || value.Step % 300 == 0)
        {
            Console.WriteLine($"  {value}");
        }
    }
}
