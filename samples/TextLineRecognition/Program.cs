using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Convolution;
using TextLineRecognition;

// Text-line recognition (OCR of printed lines) with a CRNN trained by CTC: real sentences from SST-2 and UD English EWT
// rendered in 13 training fonts (DejaVu, FreeFont) with light augmentation, scored on a test part in the training fonts
// and on a held-out font family (Liberation) that training never sees. Settings were chosen on the validation part only.
// Usage: dotnet run -c Release --project samples/TextLineRecognition [--data DIR] [--seed N] [--threads N] [--train-lines N] [--epochs N]
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
int threads = int.Parse(OptionValue(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
int trainLines = int.Parse(OptionValue(args, "--train-lines") ?? "12000", CultureInfo.InvariantCulture);
int maxEpochs = int.Parse(OptionValue(args, "--epochs") ?? "10", CultureInfo.InvariantCulture);
string? dataOption = OptionValue(args, "--data");
TorchThreads.Set(threads);

string dataDirectory;
try
{
    dataDirectory = dataOption ?? DataLocator.FindDataDirectory();
}
catch (IOException e)
{
    Console.Error.WriteLine($"The shared data (sst2/, ud-english-ewt/) was not found. Pass --data <data directory> or set {DataLocator.EnvironmentVariable}.");
    Console.Error.WriteLine(e.Message);
    return 2;
}

string artifacts = Path.Combine(Environment.CurrentDirectory, "artifacts");
var watch = Stopwatch.StartNew();
IReadOnlyDictionary<string, TextLineData.Part> parts = TextLineData.Prepare(dataDirectory, Path.Combine(artifacts, "textlines"), seed, trainLines,
    validationLines: 500, testLines: 1000);
Console.WriteLine($"text lines ({watch.Elapsed.TotalSeconds:0}s to render or find in artifacts/textlines): " +
    string.Join(", ", parts.Values.Select(p => $"{p.Rows.Length:N0} {p.Name}")) +
    $"; training fonts {TextLineData.TrainingFonts.Length}, held-out family: {string.Join(", ", TextLineData.HeldOutFonts.Select(Path.GetFileNameWithoutExtension))}");

var ml = new MLContext(seed);
ml.Log += (_, message) =>
{
    if (message.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning && message.Source.Contains("CtcRecognizer", StringComparison.Ordinal))
    {
        Console.WriteLine($"  [{message.Kind}] {message.Message}");
    }
};

IDataView Images(TextLineData.Part part) =>
    ml.Transforms.LoadImages("Image", imageFolder: part.Folder, inputColumnName: "ImagePath").Fit(ml.Data.LoadFromEnumerable(part.Rows))
        .Transform(ml.Data.LoadFromEnumerable(part.Rows));

var options = new CtcRecognizerOptions
{
    LabelColumnName = "Text",
    ImageColumnName = "Image",
    // Every printable ASCII character (what the corpus keeps), so rare ones in validation or test are known classes.
    Alphabet = new string(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).ToArray()),
    ImageHeight = 32,
    ConvolutionBlocks = [new ConvolutionBlock(16, 2, 2), new ConvolutionBlock(32, 2, 2), new ConvolutionBlock(64, 2, 1), new ConvolutionBlock(96, 2, 1)],
    HiddenSize = 128,
    LayerCount = 2,
    Dropout = 0.2,
    MaxEpochs = maxEpochs,
    BatchSize = 32,
    LearningRate = 2e-3,
    ValidationSet = Images(parts["validation"]),
    EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = 3 },
    ReportEvery = int.Parse(OptionValue(args, "--report-every") ?? "100", CultureInfo.InvariantCulture),
    Progress = new ConsoleProgress(),
};
Console.WriteLine($"model: conv blocks {string.Join(" ", options.ConvolutionBlocks.Select(b => $"{b.Channels}/{b.HeightPool}x{b.TimePool}"))}, " +
    $"{options.LayerCount}-layer BiLSTM {options.HiddenSize}×2, dropout {options.Dropout}; Adam {options.LearningRate}, batch {options.BatchSize}, " +
    $"≤ {options.MaxEpochs} epochs, patience {options.EarlyStopping.Patience} on validation 1 − CER; {threads} torch thread(s)");

TextLineData.Part trainPart = parts["train"];
var pipeline = ml.Transforms.LoadImages("Image", imageFolder: trainPart.Folder, inputColumnName: "ImagePath")
    .Append(ml.Sequence.Trainers.CtcRecognizer(options));
watch.Restart();
var model = pipeline.Fit(ml.Data.LoadFromEnumerable(trainPart.Rows));
TimeSpan trainingTime = watch.Elapsed;
CtcRecognitionTransformer recognizer = model.LastTransformer;
Console.WriteLine($"trained in {trainingTime.TotalMinutes:0.0} min: {recognizer.ParameterCount:N0} parameters, alphabet of {recognizer.Alphabet.Length} characters, " +
    $"best epoch {recognizer.History!.BestEpoch} of {recognizer.History.Epochs.Count}");
Console.WriteLine();
Console.WriteLine("| epoch | train loss | validation loss | validation CER | seconds |");
Console.WriteLine("|------:|-----------:|----------------:|---------------:|--------:|");
foreach (EpochSummary epoch in recognizer.History.Epochs)
{
    Console.WriteLine(FormattableString.Invariant(
        $"| {epoch.Epoch} | {epoch.TrainingLoss:0.0000} | {epoch.ValidationLoss:0.0000} | {1 - epoch.ValidationMetric:0.0000} | {epoch.Duration.TotalSeconds:0} |"));
}

(RecognitionMetrics Metrics, string[] Predicted) Score(TextLineData.Part part)
{
    IDataView scored = recognizer.Transform(Images(part));
    RecognitionMetrics metrics = ml.Sequence.EvaluateRecognition(scored, labelColumnName: "Text", predictedTextColumnName: "PredictedText");
    return (metrics, scored.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray());
}

watch.Restart();
(RecognitionMetrics test, _) = Score(parts["test"]);
(RecognitionMetrics heldOut, string[] heldOutPredicted) = Score(parts["heldout"]);
Console.WriteLine();
Console.WriteLine($"test (training fonts): CER {test.CharacterErrorRate:0.0000}, WER {test.WordErrorRate:0.0000}, line accuracy {test.SequenceAccuracy:0.0000}");
Console.WriteLine($"held-out font family:  CER {heldOut.CharacterErrorRate:0.0000}, WER {heldOut.WordErrorRate:0.0000}, line accuracy {heldOut.SequenceAccuracy:0.0000}" +
    $" ({watch.Elapsed.TotalSeconds:0.0}s for both, best path)");

Console.WriteLine();
Console.WriteLine("examples (held-out font): image | truth | best path");
TextLineData.Part held = parts["heldout"];
for (int i = 0; i < 6; i++)
{
    Console.WriteLine($"  {held.Rows[i].ImagePath} | {held.Rows[i].Text} | {heldOutPredicted[i]}");
}

// The fitted pipeline (LoadImages + recognizer) round-trips through model.zip.
string modelPath = Path.Combine(artifacts, "textline-recognizer.zip");
ml.Model.Save(model, ml.Data.LoadFromEnumerable(trainPart.Rows).Schema, modelPath);
ITransformer loaded = new MLContext(seed).Model.Load(modelPath, out _);
TextLineData.Part testPart = parts["test"];
var sampleRows = testPart.Rows.Take(50).Select(r => new LineRow { ImagePath = Path.Combine(testPart.Folder, r.ImagePath), Text = r.Text }).ToArray();
string[] Texts(ITransformer transformer) => transformer.Transform(ml.Data.LoadFromEnumerable(sampleRows))
    .GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray();
bool same = Texts(model).SequenceEqual(Texts(loaded));
Console.WriteLine($"saved {modelPath} ({new FileInfo(modelPath).Length / 1024:N0} KiB); reloaded pipeline gives {(same ? "the same" : "DIFFERENT")} text on 50 test lines");
if (!same)
{
    return 1;
}

Console.WriteLine(FormattableString.Invariant($"METRIC textline_test_cer {test.CharacterErrorRate:0.######}"));
Console.WriteLine(FormattableString.Invariant($"METRIC textline_heldout_font_cer {heldOut.CharacterErrorRate:0.######}"));
return 0;

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>Prints the trainer's reports.</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) =>
        Console.WriteLine((value.Phase == TrainingPhase.EpochEnd ? "epoch end: " : "  ") + value);
}
