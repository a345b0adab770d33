using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence;
using Microsoft.ML.Sequence.Data.Synthetic;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;

// Image captioning on synthetic scenes (rendered here with SkiaSharp, cached under artifacts/): a conv encoder and an
// LSTM decoder with soft attention, trained through ML.NET (LoadImages → ImageCaptioner), early-stopped on the
// validation split's BLEU-4; test and held-out-composition splits are scored once, greedy and with beam search.
// Usage: build/sample.sh ImageCaptioning [--seed N] [--threads N] [--train N] [--epochs N] [--out DIR]
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
// One libtorch thread by default: the decoder runs step by step in small ops, which two OpenMP threads only slow down
// (README, captioning benchmark).
int threads = int.Parse(OptionValue(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
int trainCount = int.Parse(OptionValue(args, "--train") ?? "5000", CultureInfo.InvariantCulture);
int? epochs = OptionValue(args, "--epochs") is string e ? int.Parse(e, CultureInfo.InvariantCulture) : null;
string output = OptionValue(args, "--out") ?? Path.Combine("artifacts", "captioning");
TorchThreads.Set(threads);
var clock = Stopwatch.StartNew();

// The data set's seed is fixed (1) so that every training seed sees the same scenes.
var sceneOptions = new SyntheticSceneOptions { TrainCount = trainCount, Seed = 1 };
string sceneFolder = Path.Combine(output, $"scenes-{trainCount}");
SyntheticSceneSet scenes = SyntheticScenes.Generate(sceneFolder, sceneOptions);
Console.WriteLine($"Scenes ({sceneFolder}): {scenes.Train.Count:N0} train, {scenes.Validation.Count:N0} validation, {scenes.Test.Count:N0} test, " +
    $"{scenes.HeldOutComposition.Count:N0} held-out composition; {clock.Elapsed.TotalSeconds:0.0} s");
Console.WriteLine($"Held-out (colour, shape) pairs: {string.Join(", ", SyntheticScenes.HeldOutPairs.Select(p => $"{p.Colour} {p.Shape}"))}");

var ml = new MLContext(seed);
ml.Log += (_, message) =>
{
    if (message.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning && message.Source.Contains(nameof(ImageCaptioner), StringComparison.Ordinal))
    {
        Console.WriteLine($"  [{message.Kind}] {message.Message}");
    }
};

IDataView CaptionRows(IEnumerable<SceneImage> split) =>
    ml.Data.LoadFromEnumerable(split.SelectMany(s => s.Captions.Select(c => new CaptionRow { ImagePath = s.FileName, Caption = c })).ToList());
IDataView ReferenceRows(IEnumerable<SceneImage> split) =>
    ml.Data.LoadFromEnumerable(split.Select(s => new ReferenceRow { ImagePath = s.FileName, References = s.Captions.ToArray() }).ToList());

IDataView train = CaptionRows(scenes.Train);
var loadImages = ml.Transforms.LoadImages("Image", imageFolder: scenes.Folder, inputColumnName: nameof(CaptionRow.ImagePath));
// The validation rows (BLEU-4 per epoch picks the weights) go through the same image loader; test rows never do until the end.
IDataView validation = loadImages.Fit(CaptionRows(scenes.Validation)).Transform(CaptionRows(scenes.Validation));
var options = new ImageCaptionerOptions
{
    LabelColumnName = nameof(CaptionRow.Caption),
    ImageColumnName = "Image",
    ValidationSet = validation,
    ReportEvery = 100,
};
options.MaxEpochs = epochs ?? options.MaxEpochs;

var pipeline = loadImages.Append(ml.Sequence.Trainers.ImageCaptioner(options));
var fitClock = Stopwatch.StartNew();
TransformerChain<ImageCaptioningTransformer> model = pipeline.Fit(train);
ImageCaptioningTransformer captioner = model.LastTransformer;
TrainingHistory history = captioner.History!;
Console.WriteLine($"Fit: {fitClock.Elapsed.TotalMinutes:0.0} min, {history.Epochs.Count} epochs, kept epoch {history.BestEpoch} " +
    $"(validation BLEU-4 {history.Epochs[history.BestEpoch - 1].ValidationMetric:0.0000}), {captioner.ParameterCount:N0} parameters");

IDataView test = ReferenceRows(scenes.Test);
IDataView heldOut = ReferenceRows(scenes.HeldOutComposition);
captioner.BeamWidth = 1;
IDataView testGreedy = model.Transform(test);
CaptioningMetrics greedy = ml.Sequence.EvaluateCaptioning(testGreedy, "References", "PredictedCaption");
CaptioningMetrics heldOutGreedy = ml.Sequence.EvaluateCaptioning(model.Transform(heldOut), "References", "PredictedCaption");
captioner.BeamWidth = 3;
CaptioningMetrics beam = ml.Sequence.EvaluateCaptioning(model.Transform(test), "References", "PredictedCaption");
CaptioningMetrics heldOutBeam = ml.Sequence.EvaluateCaptioning(model.Transform(heldOut), "References", "PredictedCaption");
captioner.BeamWidth = 1;
Console.WriteLine($"\nTest, greedy:\n{greedy}\nTest, beam 3:\n{beam}\nHeld-out composition, greedy:\n{heldOutGreedy}\nHeld-out composition, beam 3:\n{heldOutBeam}");

Console.WriteLine("Examples (test, greedy):");
var predictions = ml.Data.CreateEnumerable<CaptionPrediction>(testGreedy, reuseRowObject: false).Take(6).ToList();
foreach ((CaptionPrediction p, SceneImage scene) in predictions.Zip(scenes.Test))
{
    Console.WriteLine($"  {p.ImagePath}: \"{p.PredictedCaption}\"\n      references: {string.Join(" | ", scene.Captions)}");
}

Console.WriteLine("Examples (held-out composition, greedy):");
foreach (SceneImage scene in scenes.HeldOutComposition.Take(4))
{
    using MLImage image = MLImage.CreateFromFile(Path.Combine(scenes.Folder, scene.FileName));
    Console.WriteLine($"  {scene.FileName}: \"{captioner.Caption(image).Text}\"\n      references: {string.Join(" | ", scene.Captions)}");
}

// Attention maps of the first test images: one panel per word, the heat shows where the decoder looked.
foreach (SceneImage scene in scenes.Test.Take(4))
{
    using MLImage image = MLImage.CreateFromFile(Path.Combine(scenes.Folder, scene.FileName));
    string png = Path.Combine(output, $"attention-{Path.GetFileNameWithoutExtension(scene.FileName)}.png");
    GeneratedCaption caption = captioner.WriteAttentionMap(image, png);
    Console.WriteLine($"Attention map: {png} (\"{caption.Text}\")");
}

// The whole pipeline round-trips through model.zip: the reloaded model captions the test images identically.
string zip = Path.Combine(output, "captioner.zip");
ml.Model.Save(model, train.Schema, zip);
ITransformer loaded = ml.Model.Load(zip, out _);
string[] before = testGreedy.GetColumn<string>("PredictedCaption").ToArray();
string[] after = loaded.Transform(test).GetColumn<string>("PredictedCaption").ToArray();
int same = before.Zip(after).Count(p => p.First == p.Second);
Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length / 1024.0:N0} KiB); reloaded model: {same}/{before.Length} test captions identical");
if (same != before.Length)
{
    Console.Error.WriteLine("error: the reloaded model captions differently.");
    return 1;
}

Console.WriteLine($"Total {clock.Elapsed.TotalMinutes:0.0} min (seed {seed}, {threads} torch thread(s))");
Console.WriteLine(FormattableString.Invariant($"METRIC captioning_test_bleu4 {greedy.Bleu4:0.0000}"));
Console.WriteLine(FormattableString.Invariant($"METRIC captioning_heldout_composition_bleu4 {heldOutGreedy.Bleu4:0.0000}"));
Console.WriteLine(FormattableString.Invariant($"METRIC captioning_beam_minus_greedy_bleu4 {beam.Bleu4 - greedy.Bleu4:0.0000}"));
return 0;

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
