using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Cli.Data;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Estimators.Training;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary><c>mlseq train ctc-recognition</c>: a TSV/CSV file of (image or WAV path, transcription) rows, paths relative to
/// the file's folder. Images go LoadImages → CtcRecognizer (2-D front-end); audio goes LoadAudio (16 kHz) →
/// LogMelSpectrogram (40 bands) → CtcRecognizer (1-D front-end). The saved chain starts at the path column.</summary>
internal sealed class CtcRecognitionTask : CliTask
{
    private const string ImageColumn = "Image", AudioColumn = "Audio", FeaturesColumn = "Features";

    private static readonly Option<string?> ImagePath = new("--image-col") { Description = "The column of image paths (text-line images), relative to the data file's folder." };
    private static readonly Option<string?> AudioPath = new("--audio-col") { Description = "The column of WAV paths, relative to the data file's folder (instead of --image-col)." };
    private static readonly Option<int?> ImageHeight = new("--image-height") { Description = "Height images are scaled to (default: the trainer's, 32)." };
    private static readonly Option<int?> Layers = new("--layers") { Description = "BiLSTM layers (default: the trainer's, 2)." };

    private readonly DataViewSchema? _inputSchema;

    public CtcRecognitionTask(DataViewSchema? inputSchema = null) => _inputSchema = inputSchema;

    public override string Name => "ctc-recognition";

    public override string Description => "Text-line OCR or speech from a TSV/CSV of image or WAV paths and transcriptions: a CRNN trained with CTC.";

    public override string DefaultLabelColumn => "Text";

    public override string MetricName => "validation 1 − CER";

    public override IReadOnlyList<Option> TrainOptions => [ImagePath, AudioPath, ImageHeight, Layers];

    public override TrainedModel Train(TrainContext context)
    {
        MLContext ml = context.Ml;
        string? image = context.Parse.GetValue(ImagePath), audio = context.Parse.GetValue(AudioPath);
        if ((image is null) == (audio is null))
        {
            throw new CliException("ctc-recognition takes either --image-col C (images) or --audio-col C (WAV files).");
        }

        bool isAudio = audio is not null;
        string pathColumn = (image ?? audio)!, pathOption = isAudio ? "--audio-col" : "--image-col", label = context.LabelColumn;
        string kind = isAudio ? "audio" : "image";
        ImageTextRows all = ImageTextRows.Read(context.Dataset, "dataset", pathColumn, pathOption, label, "--label-col", kind);
        IDataView train, validation;
        string validationName;
        if (context.ValidationDataset is string validationPath)
        {
            ImageTextRows validationRows = ImageTextRows.Read(validationPath, "validation dataset", pathColumn, pathOption, label, "--label-col", kind);
            (train, validation, validationName) = (all.Load(ml), validationRows.Load(ml), validationRows.File.Name);
        }
        else
        {
            DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(all.Load(ml), testFraction: 0.1, seed: context.Seed);
            (train, validation, validationName) = (split.TrainSet, split.TestSet, $"the validation part (10%, seed {context.Seed}) of {all.File.Name}");
        }

        var options = new CtcRecognizerOptions
        {
            LabelColumnName = label,
            ImageColumnName = isAudio ? null : ImageColumn,
            FeaturesColumnName = isAudio ? FeaturesColumn : null,
            Seed = context.Seed,
            EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = context.Patience, RestoreBestWeights = true },
            CancellationToken = context.Interruption.Abort,
            StopToken = context.Interruption.Stop,
        };
        options.MaxEpochs = context.MaxEpochs ?? options.MaxEpochs;
        options.HiddenSize = context.HiddenSize ?? options.HiddenSize;
        options.BatchSize = context.BatchSize ?? options.BatchSize;
        options.ImageHeight = context.Parse.GetValue(ImageHeight) ?? options.ImageHeight;
        options.LayerCount = context.Parse.GetValue(Layers) ?? options.LayerCount;
        long trainingRows = CountRows(train, label);
        options.ReportEvery = Math.Max(1, (int)(trainingRows / options.BatchSize / 25));

        IEstimator<ITransformer> front = isAudio
            ? ml.Transforms.LoadAudio(AudioColumn, audioFolder: null, inputColumnName: pathColumn)
                .Append(ml.Transforms.LogMelSpectrogram(FeaturesColumn, inputColumnName: AudioColumn, melBands: 40))
            : ml.Transforms.LoadImages(ImageColumn, imageFolder: null, inputColumnName: pathColumn);
        ITransformer frontFitted = front.Fit(validation);
        // The validation rows need the recognizer's input column, so they go through the same (stateless) front-end;
        // log-mel features are cached (computed once, not every epoch), images cannot be (ML.NET caches no MLImage column).
        IDataView validationInput = frontFitted.Transform(validation);
        options.ValidationSet = isAudio ? ml.Data.Cache(validationInput) : validationInput;
        ITransformer model = context.View.Run(progress =>
        {
            options.Progress = progress;
            return front.Append(ml.Sequence.Trainers.CtcRecognizer(options)).Fit(train);
        });
        // The saved input is the file's two columns (path, text), whichever split the training rows came from.
        return new TrainedModel(model, all.Load(ml).Schema, Recognizer(model).History!, validation, validationName, trainingRows);
    }

    public override CliTask ForModelInput(DataViewSchema inputSchema) => new CtcRecognitionTask(inputSchema);

    public override bool Owns(ITransformer model) => Find<CtcRecognitionTransformer>(model) is not null;

    public override IDataView LoadLabelled(MLContext ml, ITransformer model, string path)
    {
        (string pathColumn, string kind) = PathColumn(model);
        return ImageTextRows.Read(path, "dataset", pathColumn, "the model's path column", Recognizer(model).Options.LabelColumnName,
            "the model's label column", kind).Load(ml);
    }

    public override EvaluationReport Evaluate(MLContext ml, ITransformer model, IDataView data, string dataName)
    {
        CtcRecognizerOptions o = Recognizer(model).Options;
        RecognitionMetrics m = ml.Sequence.EvaluateRecognition(model.Transform(data), o.LabelColumnName, o.PredictedTextColumnName);
        return new EvaluationReport(dataName, m.RowCount,
            [new("cer", m.CharacterErrorRate), new("wer", m.WordErrorRate), new("sequence_accuracy", m.SequenceAccuracy),
             new("reference_characters", m.ReferenceCharacterCount), new("reference_words", m.ReferenceWordCount)],
            "class", [], null);
    }

    public override IReadOnlyList<string> PredictText(Terminal terminal, MLContext ml, ITransformer model, string text, string? pictures)
    {
        (string pathColumn, string kind) = PathColumn(model);
        string file = Path.GetFullPath(text);
        if (!File.Exists(file))
        {
            throw new CliException($"--text names the {kind} file to recognise; not found: {file}");
        }

        CtcRecognizerOptions o = Recognizer(model).Options;
        string predicted = TextValues(model.Transform(ImageTextRows.One(ml, pathColumn, file)), o.PredictedTextColumnName).Single();
        var table = ReportRenderer.NewTable(terminal, "Prediction");
        table.AddColumn(kind).AddColumn("recognised text");
        table.AddRow(Terminal.Escape(Path.GetFileName(file)), Terminal.Escape(predicted));
        terminal.Out.Write(table);
        terminal.Line($"PredictedText: {predicted}");
        return [];
    }

    public override long PredictFile(MLContext ml, ITransformer model, string path, string output)
    {
        (string pathColumn, string kind) = PathColumn(model);
        CtcRecognizerOptions o = Recognizer(model).Options;
        ImageTextRows rows = ImageTextRows.Read(path, "dataset", pathColumn, "the model's path column", null, "", kind);
        IEnumerable<string> predicted = TextValues(model.Transform(rows.Load(ml)), o.PredictedTextColumnName);
        return OutputFile.WriteTsv(output, [pathColumn, o.PredictedTextColumnName],
            rows.Rows.Zip(predicted, (r, p) => new[] { r.Written, p }));
    }

    public override string GenerateCode(ITransformer model, string modelPath)
    {
        (string pathColumn, string kind) = PathColumn(model);
        return CtcRecognitionCode.Generate(Recognizer(model), pathColumn, kind, modelPath);
    }

    private static CtcRecognitionTransformer Recognizer(ITransformer model) =>
        Find<CtcRecognitionTransformer>(model) ?? throw new CliException("The model holds no CTC recognizer.");

    /// <summary>The column of file paths the saved chain reads (the saved input's column that is not the label), and
    /// whether they are images or audio.</summary>
    private (string Column, string Kind) PathColumn(ITransformer model)
    {
        string label = Recognizer(model).Options.LabelColumnName;
        string column = SavedPathColumn(_inputSchema, label);
        return (column, Find<AudioLoadingTransformer>(model) is not null ? "audio" : "image");
    }
}
