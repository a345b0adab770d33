using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Sequence;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;

// Part-of-speech tagging on Universal Dependencies English EWT (UPOS): word embeddings + a character-level BiLSTM word
// encoder → 2-layer BiLSTM → softmax. Epochs and early stopping are decided on en_ewt-ud-dev only; the test file is
// scored once, at the end. Usage: dotnet run -c Release --project samples/PosTagging [--data DIR] [--seed N] [--epochs N]
string[] files = ["en_ewt-ud-train.conllu", "en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"];
string? dataOption = OptionValue(args, "--data");
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
int maxEpochs = int.Parse(OptionValue(args, "--epochs") ?? "12", CultureInfo.InvariantCulture);

string directory;
try
{
    directory = dataOption is not null ? Path.Combine(dataOption, "ud-english-ewt") : DataLocator.GetPath("ud-english-ewt");
    string[] missing = files.Where(f => !File.Exists(Path.Combine(directory, f))).ToArray();
    if (missing.Length > 0)
    {
        throw new FileNotFoundException($"Missing {string.Join(", ", missing.Select(f => Path.Combine(directory, f)))}");
    }
}
catch (IOException e)
{
    Console.Error.WriteLine($"The UD English EWT data was not found: expected {string.Join(", ", files)} in <data>/ud-english-ewt/.");
    Console.Error.WriteLine($"Pass --data <data directory> or set {DataLocator.EnvironmentVariable}.");
    Console.Error.WriteLine(e.Message);
    return 2;
}

var context = new SequenceContext(seed);
context.Log += (_, message) => Console.WriteLine($"  [{message.Level}] {message.Message}");
ISequenceDataView train = context.Data.Cache(context.Data.LoadFromConll(Path.Combine(directory, files[0])));
ISequenceDataView dev = context.Data.Cache(context.Data.LoadFromConll(Path.Combine(directory, files[1])));
ISequenceDataView test = context.Data.Cache(context.Data.LoadFromConll(Path.Combine(directory, files[2])));
Console.WriteLine($"UD English EWT: {train.RowCount:N0} train, {dev.RowCount:N0} dev, {test.RowCount:N0} test sentences (UPOS tags)");

var options = new RecurrentSequenceTaggerOptions
{
    MaxEpochs = maxEpochs,
    ValidationData = dev,
    EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = 2, RestoreBestWeights = true },
    ReportEvery = 100,
};
Console.WriteLine($"model: word embedding {options.WordEmbeddingSize} (lowercased, min count {options.MinWordCount}), character BiLSTM " +
    $"{options.CharacterEmbeddingSize}→{options.CharacterHiddenSize}×2, {options.LayerCount}-layer BiLSTM {options.HiddenSize}×2, " +
    $"dropout {options.Dropout}, {options.Output}; {options.Optimizer} {options.LearningRate}, batch {options.BatchSize}, clip {options.GradientClipNorm}, " +
    $"≤ {options.MaxEpochs} epochs, patience {options.EarlyStopping.Patience} on dev token accuracy");

var watch = Stopwatch.StartNew();
var progress = new ConsoleProgress();
using SequenceTaggerTransformer model = context.SequenceTagging.Trainers.RecurrentTagger(options).Fit(train, progress, CancellationToken.None);
TimeSpan trainingTime = watch.Elapsed;
Console.WriteLine($"{model.ParameterCount:N0} parameters; vocabularies: {model.WordVocabulary.Count:N0} words, " +
    $"{model.CharacterVocabulary.Count:N0} characters, {model.TagNames.Count} tags");

TrainingHistory history = model.History!;
Console.WriteLine();
Console.WriteLine("| epoch | train loss | dev loss | dev accuracy | seconds | tokens/s |");
Console.WriteLine("|------:|-----------:|---------:|-------------:|--------:|---------:|");
foreach (EpochSummary epoch in history.Epochs)
{
    string mark = epoch.Epoch == history.BestEpoch ? " (best)" : string.Empty;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {epoch.Epoch,5} | {epoch.TrainingLoss,10:0.0000} | {epoch.ValidationLoss,8:0.0000} | {epoch.ValidationMetric,12:0.0000}{mark} | {epoch.Duration.TotalSeconds,7:0.0} | {epoch.TokensPerSecond,8:N0} |"));
}

SpanF1Metrics devMetrics = context.SequenceTagging.Evaluate(model.Transform(dev));
ISequenceDataView scoredTest = model.Transform(test);
SpanF1Metrics testMetrics = context.SequenceTagging.Evaluate(scoredTest);
Console.WriteLine();
Console.WriteLine($"best epoch {history.BestEpoch} of {history.Epochs.Count}{(history.StoppedEarly ? " (stopped early)" : string.Empty)}; training {trainingTime.TotalMinutes:0.0} min");
Console.WriteLine();
Console.WriteLine("| set | sentences | UPOS accuracy |");
Console.WriteLine("|-----|----------:|--------------:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| dev (selects the epoch) | {dev.RowCount,9:N0} | {devMetrics.TokenAccuracy,13:0.0000} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| test (scored once) | {test.RowCount,9:N0} | {testMetrics.TokenAccuracy,13:0.0000} |"));

Console.WriteLine();
Console.WriteLine("example test sentences (predicted tag; [gold] where it differs):");
foreach (TaggedSentence sentence in context.Data.CreateEnumerable<TaggedSentence>(scoredTest).Where(s => s.Tokens.Length is >= 6 and <= 14).Take(4))
{
    Console.WriteLine("  " + string.Join(" ", sentence.Tokens.Select((token, i) =>
        sentence.PredictedTags[i] == sentence.Tags[i] ? $"{token}/{sentence.PredictedTags[i]}" : $"{token}/{sentence.PredictedTags[i]}[{sentence.Tags[i]}]")));
}

Console.WriteLine();
Console.WriteLine($"METRIC ewt_upos_test_accuracy {testMetrics.TokenAccuracy.ToString("0.####", CultureInfo.InvariantCulture)}");
return 0;

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>A scored sentence as the sample reads it back.</summary>
internal sealed class TaggedSentence
{
    public string[] Tokens { get; set; } = [];

    public string[] Tags { get; set; } = [];

    public string[] PredictedTags { get; set; } = [];
}

/// <summary>Prints step and epoch reports as they arrive (on the training thread).</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) =>
        Console.WriteLine((value.Phase == TrainingPhase.EpochEnd ? "epoch end: " : "  ") + value);
}
