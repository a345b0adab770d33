using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;

// Spoken digit strings → text: WAV files synthesised with espeak-ng (many voices, speeds, pitches; a held-out voice set
// that training never hears), ml.Transforms.LoadAudio → ml.Transforms.LogMelSpectrogram → ml.Sequence.Trainers
// .CtcRecognizer (1-D conv front-end + BiLSTM + CTC), scored with ml.Sequence.EvaluateRecognition. The label is the
// digit string with spaces ("3 1 4"), so the word error rate counts digits. The epoch is chosen on the validation split
// (voices that neither training nor heldout has); test (training voices, new strings) and heldout (new voices again)
// are scored once, at the end.
// Usage: build/sample.sh SpokenDigits [--seed N] [--train N] [--epochs N] [--threads N] [--cache DIR]
//        [--normalization None|UtteranceMean|UtteranceMeanVariance]
int seed = int.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
int trainCount = int.Parse(OptionValue(args, "--train") ?? "2400", CultureInfo.InvariantCulture);
int maxEpochs = int.Parse(OptionValue(args, "--epochs") ?? "20", CultureInfo.InvariantCulture);
int threads = int.Parse(OptionValue(args, "--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
var normalization = Enum.Parse<SpectrogramNormalization>(OptionValue(args, "--normalization") ?? nameof(SpectrogramNormalization.UtteranceMeanVariance));
string cacheRoot = OptionValue(args, "--cache") ?? Path.Combine(RepositoryRoot(), "artifacts", "spoken-digits");
TorchThreads.Set(threads);

string[] missingTools = new[] { "espeak-ng", "sox" }.Where(tool => !OnPath(tool)).ToArray();
if (missingTools.Length > 0)
{
    Console.Error.WriteLine($"{string.Join(" and ", missingTools)} not found on PATH; build/sample.sh SpokenDigits installs them (Debian packages espeak-ng, sox).");
    return 2;
}

string corpus = SpokenDigitCorpus.Ensure(cacheRoot, seed, trainCount, workers: threads);
var ml = new MLContext(seed);
ml.Log += (_, message) =>
{
    if (message.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning && message.Source.Contains("CtcRecognizer", StringComparison.Ordinal))
    {
        Console.WriteLine($"  [{message.Kind}] {message.Message}");
    }
};
IDataView Load(string split) => ml.Data.LoadFromTextFile<Utterance>(Path.Combine(corpus, split + ".tsv"), '\t', hasHeader: true);
IDataView train = Load("train"), validation = Load("validation"), test = Load("test"), heldOut = Load("heldout");

// The audio front-end: 16 kHz samples → 40 log-mel bands every 10 ms (25 ms Hann windows, 512-point FFT), each band
// normalised over its utterance (mean and variance by default), which takes out level and fixed spectral colouring.
var features = ml.Transforms.LoadAudio("Audio", audioFolder: corpus, inputColumnName: "AudioPath")
    .Append(ml.Transforms.LogMelSpectrogram(new LogMelSpectrogramOptions
    {
        InputColumnName = "Audio", OutputColumnName = "Features", MelBands = 40, Normalization = normalization,
    }));
var options = new CtcRecognizerOptions
{
    LabelColumnName = "Text",
    FeaturesColumnName = "Features",
    MaxEpochs = maxEpochs,
    // The validation split (its own voices) picks the epoch; neither test split is looked at before the end.
    ValidationSet = ml.Data.Cache(features.Fit(validation).Transform(validation)),
    // A character trigram of the training labels for beam search (it knows digits and single spaces alternate).
    LanguageModelOrder = 3,
    ReportEvery = 0,
    Progress = new ConsoleProgress(),
};
var asr = features.Append(ml.Sequence.Trainers.CtcRecognizer(options));
Console.WriteLine($"model: LoadAudio 16 kHz → LogMelSpectrogram 40 bands, {normalization} → CtcRecognizer (1-D conv front-end, " +
    $"{options.LayerCount}-layer BiLSTM {options.HiddenSize}×2, dropout {options.Dropout}; Adam {options.LearningRate}, batch {options.BatchSize}, ≤ {options.MaxEpochs} epochs)");

var watch = Stopwatch.StartNew();
var model = asr.Fit(ml.Data.Cache(train));
TimeSpan trainingTime = watch.Elapsed;
CtcRecognitionTransformer recognizer = model.LastTransformer;
TrainingHistory history = recognizer.History!;
Console.WriteLine($"{recognizer.ParameterCount:N0} parameters; alphabet \"{recognizer.Alphabet}\"; trained in {trainingTime.TotalMinutes:0.0} min, " +
    $"best epoch {history.BestEpoch} of {history.Epochs.Count}{(history.StoppedEarly ? " (stopped early)" : string.Empty)}");

RecognitionMetrics validationMetrics = ml.Sequence.EvaluateRecognition(model.Transform(validation), labelColumnName: "Text", predictedTextColumnName: "PredictedText");
RecognitionMetrics testMetrics = ml.Sequence.EvaluateRecognition(model.Transform(test), labelColumnName: "Text", predictedTextColumnName: "PredictedText");
IDataView heldOutScored = model.Transform(heldOut);
RecognitionMetrics heldOutMetrics = ml.Sequence.EvaluateRecognition(heldOutScored, labelColumnName: "Text", predictedTextColumnName: "PredictedText");
Console.WriteLine();
Console.WriteLine("| set | utterances | voices | WER (digits) | CER | whole string right |");
Console.WriteLine("|-----|-----------:|-------:|-------------:|----:|-------------------:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| validation, picks the epoch ({string.Join(", ", SpeechVoice.Validation.Select(v => v.Name))}) | {validationMetrics.RowCount,5} | {SpeechVoice.Validation.Length} | {validationMetrics.WordErrorRate:0.0000} | {validationMetrics.CharacterErrorRate:0.0000} | {validationMetrics.SequenceAccuracy:0.0000} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| test (training voices, new strings) | {testMetrics.RowCount,5} | {SpeechVoice.Training().Length} | {testMetrics.WordErrorRate:0.0000} | {testMetrics.CharacterErrorRate:0.0000} | {testMetrics.SequenceAccuracy:0.0000} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| heldout ({string.Join(", ", SpeechVoice.HeldOut.Select(v => v.Name))}) | {heldOutMetrics.RowCount,5} | {SpeechVoice.HeldOut.Length} | {heldOutMetrics.WordErrorRate:0.0000} | {heldOutMetrics.CharacterErrorRate:0.0000} | {heldOutMetrics.SequenceAccuracy:0.0000} |"));

// Beam search (width 16) with the trigram at its default weight (no setting is tuned here), on the same held-out voices.
using CtcRecognitionTransformer beamRecognizer = recognizer.WithDecoding(16, options.LanguageModelWeight, insertionBonus: 0);
IDataView heldOutBeam = beamRecognizer.Transform(features.Fit(heldOut).Transform(heldOut));
RecognitionMetrics beamMetrics = ml.Sequence.EvaluateRecognition(heldOutBeam, labelColumnName: "Text", predictedTextColumnName: "PredictedText");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| heldout, beam 16 + trigram LM (α {options.LanguageModelWeight}) | {beamMetrics.RowCount,5} | {SpeechVoice.HeldOut.Length} | {beamMetrics.WordErrorRate:0.0000} | {beamMetrics.CharacterErrorRate:0.0000} | {beamMetrics.SequenceAccuracy:0.0000} |"));

Console.WriteLine();
Console.WriteLine("held-out voice examples (audio | voice | truth | best path | beam + LM):");
string[] beamTexts = heldOutBeam.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray();
RecognisedUtterance[] recognised = ml.Data.CreateEnumerable<RecognisedUtterance>(heldOutScored, reuseRowObject: false).ToArray();
// The first rows, then the first rows best path got wrong, so that errors show too.
int[] shown = Enumerable.Range(0, 4).Concat(Enumerable.Range(4, recognised.Length - 4).Where(i => recognised[i].Text != recognised[i].PredictedText).Take(4)).ToArray();
foreach (int i in shown)
{
    RecognisedUtterance row = recognised[i];
    Console.WriteLine($"  {row.AudioPath} | {row.Voice} | {row.Text} | {row.PredictedText}{(row.Text == row.PredictedText ? string.Empty : " ✗")} | {beamTexts[i]}{(row.Text == beamTexts[i] ? string.Empty : " ✗")}");
}

// The whole pipeline, from the path column to PredictedText, saved and loaded again, then served one file at a time.
string path = Path.Combine(cacheRoot, $"spoken-digits-model-{Environment.ProcessId}.zip");
ml.Model.SaveAtomically(model, train.Schema, path);
var fresh = new MLContext(seed);
ITransformer loaded = fresh.Model.Load(path, out _);
RecognitionMetrics reloaded = fresh.Sequence.EvaluateRecognition(loaded.Transform(heldOut), labelColumnName: "Text", predictedTextColumnName: "PredictedText");
var engine = fresh.Model.CreatePredictionEngine<Utterance, RecognisedUtterance>(loaded);
Utterance first = fresh.Data.CreateEnumerable<Utterance>(heldOut, reuseRowObject: false).First();
Console.WriteLine($"reloaded pipeline ({new FileInfo(path).Length / 1024:N0} KiB): held-out WER {reloaded.WordErrorRate.ToString("0.0000", CultureInfo.InvariantCulture)} " +
    $"({(reloaded.WordEditCount == heldOutMetrics.WordEditCount ? "same" : "DIFFERENT")} edits); prediction engine on {first.AudioPath}: \"{engine.Predict(first).PredictedText}\" (truth \"{first.Text}\")");
File.Delete(path);
if (reloaded.WordEditCount != heldOutMetrics.WordEditCount)
{
    Console.Error.WriteLine("The reloaded pipeline scored the held-out voices differently.");
    return 1;
}

Console.WriteLine();
Console.WriteLine($"METRIC spoken_digits_test_wer {testMetrics.WordErrorRate.ToString("0.####", CultureInfo.InvariantCulture)}");
Console.WriteLine($"METRIC spoken_digits_heldout_voice_wer {heldOutMetrics.WordErrorRate.ToString("0.####", CultureInfo.InvariantCulture)}");
return 0;

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static bool OnPath(string program) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

// The repository root (the folder with SequenceML.sln) above the working directory, else the working directory.
static string RepositoryRoot()
{
    for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SequenceML.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

/// <summary>Prints epoch reports as they arrive (on the training thread).</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Phase == TrainingPhase.EpochEnd)
        {
            Console.WriteLine("epoch end: " + value);
        }
    }
}
