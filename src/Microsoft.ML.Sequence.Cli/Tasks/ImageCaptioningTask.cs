using System.CommandLine;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Cli.Data;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using Microsoft.ML.Sequence.Estimators.Training;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary><c>mlseq train image-captioning</c>: a TSV/CSV file of (image path, caption) pairs, several rows per image
/// when it has several captions, paths relative to the file's folder. LoadImages → ImageCaptioner; evaluation groups the
/// captions of each image into its references for corpus BLEU.</summary>
internal sealed class ImageCaptioningTask : CliTask
{
    private const string ImageColumn = "Image";

    private static readonly Option<string> ImagePath = new("--image-col")
    {
        Description = "The column of image paths, relative to the data file's folder.",
        DefaultValueFactory = _ => "ImagePath",
    };
    private static readonly Option<int?> EmbeddingSize = new("--embedding-size") { Description = "Word embedding width (default: the trainer's, 48)." };
    private static readonly Option<int?> BeamWidth = new("--beam-width") { Description = "Beam width of the saved model's decoding (default: 1, greedy)." };

    private readonly DataViewSchema? _inputSchema;

    public ImageCaptioningTask(DataViewSchema? inputSchema = null) => _inputSchema = inputSchema;

    public override string Name => "image-captioning";

    public override string Description => "Captions from a TSV/CSV of (image path, caption) pairs: a conv encoder and an LSTM decoder with soft attention.";

    public override string DefaultLabelColumn => "Caption";

    public override string MetricName => "validation BLEU-4";

    public override IReadOnlyList<Option> TrainOptions => [ImagePath, EmbeddingSize, BeamWidth];

    public override TrainedModel Train(TrainContext context)
    {
        MLContext ml = context.Ml;
        string image = context.Parse.GetValue(ImagePath)!, label = context.LabelColumn;
        ImageTextRows all = ImageTextRows.Read(context.Dataset, "dataset", image, "--image-col", label, "--label-col");
        IReadOnlyList<ImageTextRows.Row> trainRows, validationRows;
        string validationName;
        if (context.ValidationDataset is string validationPath)
        {
            ImageTextRows validation = ImageTextRows.Read(validationPath, "validation dataset", image, "--image-col", label, "--label-col");
            (trainRows, validationRows, validationName) = (all.Rows, validation.Rows, validation.File.Name);
        }
        else
        {
            // Split by image, not by row: an image's other captions in training would leak it into validation.
            string[] images = all.Rows.Select(r => r.Image).Distinct(StringComparer.Ordinal).ToArray();
            if (images.Length < 2)
            {
                throw new CliException($"{all.File.Name} names only {images.Length} image(s); a validation part needs at least two (or give --validation-dataset).");
            }

            var random = new Random(context.Seed);
            var held = new HashSet<string>(images.OrderBy(_ => random.Next()).Take(Math.Max(1, images.Length / 10)), StringComparer.Ordinal);
            trainRows = all.Rows.Where(r => !held.Contains(r.Image)).ToArray();
            validationRows = all.Rows.Where(r => held.Contains(r.Image)).ToArray();
            validationName = $"the validation images (10%, seed {context.Seed}) of {all.File.Name}";
        }

        var options = new ImageCaptionerOptions
        {
            LabelColumnName = label,
            ImageColumnName = ImageColumn,
            Seed = context.Seed,
            EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = context.Patience, RestoreBestWeights = true },
            CancellationToken = context.Interruption.Abort,
            StopToken = context.Interruption.Stop,
        };
        options.MaxEpochs = context.MaxEpochs ?? options.MaxEpochs;
        options.HiddenSize = context.HiddenSize ?? options.HiddenSize;
        options.BatchSize = context.BatchSize ?? options.BatchSize;
        options.EmbeddingSize = context.Parse.GetValue(EmbeddingSize) ?? options.EmbeddingSize;
        options.BeamWidth = context.Parse.GetValue(BeamWidth) ?? options.BeamWidth;
        options.ReportEvery = Math.Max(1, trainRows.Count / options.BatchSize / 25);

        IDataView train = all.Load(ml, trainRows), validationPairs = all.Load(ml, validationRows);
        var loadImages = ml.Transforms.LoadImages(ImageColumn, imageFolder: null, inputColumnName: image);
        // The captioner's validation rows need its image column: they go through the same (stateless) loader.
        options.ValidationSet = loadImages.Fit(validationPairs).Transform(validationPairs);
        ITransformer model = context.View.Run(progress =>
        {
            options.Progress = progress;
            return loadImages.Append(ml.Sequence.Trainers.ImageCaptioner(options)).Fit(train);
        });
        return new TrainedModel(model, train.Schema, Captioner(model).History!, CaptionReferences.Load(ml, image, validationRows),
            validationName, trainRows.Count);
    }

    public override CliTask ForModelInput(DataViewSchema inputSchema) => new ImageCaptioningTask(inputSchema);

    public override bool Owns(ITransformer model) => Find<ImageCaptioningTransformer>(model) is not null;

    public override IDataView LoadLabelled(MLContext ml, ITransformer model, string path)
    {
        string image = PathColumn(model);
        ImageTextRows rows = ImageTextRows.Read(path, "dataset", image, "the model's image column", Captioner(model).Options.LabelColumnName,
            "the model's caption column");
        return CaptionReferences.Load(ml, image, rows.Rows);
    }

    public override EvaluationReport Evaluate(MLContext ml, ITransformer model, IDataView data, string dataName)
    {
        ImageCaptionerOptions o = Captioner(model).Options;
        CaptioningMetrics m = ml.Sequence.EvaluateCaptioning(model.Transform(data), CaptionReferences.Column, o.PredictedCaptionColumnName);
        return new EvaluationReport(dataName, m.SentenceCount,
            [new("bleu_1", m.Bleu1), new("bleu_2", m.Bleu2), new("bleu_3", m.Bleu3), new("bleu_4", m.Bleu4), new("brevity_penalty", m.BrevityPenalty)],
            "class", [], null);
    }

    public override IReadOnlyList<string> PredictText(Terminal terminal, MLContext ml, ITransformer model, string text, string? pictures)
    {
        string file = Path.GetFullPath(text);
        if (!File.Exists(file))
        {
            throw new CliException($"--text names the image file to caption; not found: {file}");
        }

        ImageCaptioningTransformer captioner = Captioner(model);
        string predicted = TextValues(model.Transform(ImageTextRows.One(ml, PathColumn(model), file)), captioner.Options.PredictedCaptionColumnName).Single();
        var table = ReportRenderer.NewTable(terminal, "Prediction");
        table.AddColumn("image").AddColumn("caption");
        table.AddRow(Terminal.Escape(Path.GetFileName(file)), Terminal.Escape(predicted));
        terminal.Out.Write(table);
        terminal.Line($"PredictedCaption: {predicted}");
        if (pictures is null)
        {
            return [];
        }

        Directory.CreateDirectory(pictures);
        using MLImage picture = MLImage.CreateFromFile(file);
        captioner.WriteAttentionMap(picture, Path.Combine(pictures, "attention.png"));
        return ["attention.png"];
    }

    public override long PredictFile(MLContext ml, ITransformer model, string path, string output)
    {
        string image = PathColumn(model);
        ImageCaptionerOptions o = Captioner(model).Options;
        ImageTextRows rows = ImageTextRows.Read(path, "dataset", image, "the model's image column", null, "");
        // One prediction per distinct image, in the order the images first appear.
        ImageTextRows.Row[] distinct = rows.Rows.DistinctBy(r => r.Image, StringComparer.Ordinal).ToArray();
        IEnumerable<string> predicted = TextValues(model.Transform(rows.Load(ml, distinct)), o.PredictedCaptionColumnName);
        return OutputFile.WriteTsv(output, [image, o.PredictedCaptionColumnName], distinct.Zip(predicted, (r, p) => new[] { r.Written, p }));
    }

    public override string GenerateCode(ITransformer model, string modelPath) =>
        ImageCaptioningCode.Generate(Captioner(model), PathColumn(model), modelPath);

    private static ImageCaptioningTransformer Captioner(ITransformer model) =>
        Find<ImageCaptioningTransformer>(model) ?? throw new CliException("The model holds no image captioner.");

    /// <summary>The column of image paths the saved chain reads: the saved input's column that is not the caption.</summary>
    private string PathColumn(ITransformer model) => SavedPathColumn(_inputSchema, Captioner(model).Options.LabelColumnName);
}
