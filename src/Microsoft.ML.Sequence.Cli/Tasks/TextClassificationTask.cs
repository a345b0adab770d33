using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Cli.Data;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Pictures;
using Microsoft.ML.Transforms;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary><c>mlseq train text-classification</c>: a TSV/CSV file with a header, a text column and a label column.
/// Labels that are all true/false (or 1/0) train the binary classifier (Boolean label); any other labels train the
/// multiclass one, keyed in sorted order, and the saved model maps the predicted key back to the label text.</summary>
internal sealed class TextClassificationTask : CliTask
{
    private static readonly Option<string> TextColumn = new("--text-col") { Description = "The text column.", DefaultValueFactory = _ => "Text" };
    private static readonly Option<TimePooling> Pooling = new("--pooling")
    {
        Description = "How the encoder's states become one vector: Max, Mean, Last or Attention (per-token weights in predict).",
        DefaultValueFactory = _ => TimePooling.Max,
    };
    private static readonly Option<int?> EmbeddingSize = new("--embedding-size") { Description = "Word embedding width (default: the trainer's, 300)." };

    public override string Name => "text-classification";

    public override string Description => "Sentiment or topic from a TSV/CSV file with a header: a BiLSTM text classifier.";

    public override string DefaultLabelColumn => "Label";

    public override string MetricName => "validation accuracy";

    public override IReadOnlyList<Option> TrainOptions => [TextColumn, Pooling, EmbeddingSize];

    public override TrainedModel Train(TrainContext context)
    {
        MLContext ml = context.Ml;
        string text = context.Parse.GetValue(TextColumn)!, label = context.LabelColumn;
        DelimitedFile file = DelimitedFile.Open(context.Dataset, "dataset");
        file.Require(text, "--text-col");
        file.Require(label, "--label-col");
        IReadOnlyList<(long Line, string Value)> labels = file.Check([label], label);
        string[] distinct = labels.Select(l => l.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2)
        {
            throw new CliException($"{file.Name}: column \"{label}\" holds only the value \"{distinct.FirstOrDefault()}\"; a classifier needs at least two classes.");
        }

        bool binary = distinct.All(IsBoolean);
        IDataView all = file.Load(ml, LabelType(label, binary));
        IDataView train, validation;
        string validationName;
        if (context.ValidationDataset is string validationPath)
        {
            DelimitedFile validationFile = DelimitedFile.Open(validationPath, "validation dataset");
            validationFile.Require(text, "--text-col");
            validationFile.Require(label, "--label-col");
            CheckLabels(validationFile, label, binary, binary ? null : distinct, "the training data");
            (train, validation, validationName) = (all, validationFile.Load(ml, LabelType(label, binary)), validationFile.Name);
        }
        else
        {
            DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(all, testFraction: 0.1, seed: context.Seed);
            (train, validation, validationName) = (split.TrainSet, split.TestSet, $"the validation part (10%, seed {context.Seed}) of {file.Name}");
        }

        var options = new RecurrentTextClassifierOptions
        {
            TextColumnName = text,
            LabelColumnName = label,
            Pooling = context.Parse.GetValue(Pooling),
            Seed = context.Seed,
            EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = context.Patience, RestoreBestWeights = true },
            CancellationToken = context.Interruption.Abort,
            StopToken = context.Interruption.Stop,
        };
        options.MaxEpochs = context.MaxEpochs ?? options.MaxEpochs;
        options.HiddenSize = context.HiddenSize ?? options.HiddenSize;
        options.BatchSize = context.BatchSize ?? options.BatchSize;
        options.EmbeddingSize = context.Parse.GetValue(EmbeddingSize) ?? options.EmbeddingSize;
        long trainingRows = CountRows(train, label);
        options.ReportEvery = Math.Max(1, (int)(trainingRows / options.BatchSize / 25));

        TextClassifierTransformer classifier;
        ITransformer model;
        IDataView labelledValidation;
        if (binary)
        {
            options.ValidationSet = validation;
            classifier = context.View.Run(progress =>
            {
                options.Progress = progress;
                return ml.BinaryClassification.Trainers.RecurrentTextClassifier(options).Fit(train);
            });
            (model, labelledValidation) = (classifier, validation);
        }
        else
        {
            // Keyed on all rows so that a class drawn only into the validation part still has a key.
            ITransformer keys = ml.Transforms.Conversion.MapValueToKey(label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(all);
            labelledValidation = keys.Transform(validation);
            options.ValidationSet = labelledValidation;
            classifier = context.View.Run(progress =>
            {
                options.Progress = progress;
                return ml.MulticlassClassification.Trainers.RecurrentTextClassifier(options).Fit(keys.Transform(train));
            });
            ITransformer back = ml.Transforms.Conversion.MapKeyToValue(options.PredictedLabelColumnName).Fit(classifier.Transform(labelledValidation));
            model = new TransformerChain<ITransformer>(classifier, back);
        }

        return new TrainedModel(model, all.Schema, classifier.History!, labelledValidation, validationName, trainingRows);
    }

    public override bool Owns(ITransformer model) => Find<TextClassifierTransformer>(model) is not null;

    public override IDataView LoadLabelled(MLContext ml, ITransformer model, string path)
    {
        TextClassifierTransformer classifier = Classifier(model);
        string text = classifier.Options.TextColumnName, label = classifier.Options.LabelColumnName;
        DelimitedFile file = DelimitedFile.Open(path, "dataset");
        file.Require(text, "the model's text column");
        file.Require(label, "the model's label column");
        CheckLabels(file, label, classifier.IsBinary, classifier.IsBinary ? null : classifier.Classes, "the model's classes");
        IDataView data = file.Load(ml, LabelType(label, classifier.IsBinary));
        if (classifier.IsBinary)
        {
            return data;
        }

        // The model's classes in key order become the keys, so key k means the class the model calls k.
        IDataView keyData = ml.Data.LoadFromEnumerable(classifier.Classes.Select(c => new KeyValue { Value = c }));
        return ml.Transforms.Conversion.MapValueToKey(label, keyData: keyData).Fit(data).Transform(data);
    }

    public override EvaluationReport Evaluate(MLContext ml, ITransformer model, IDataView data, string dataName)
    {
        TextClassifierTransformer classifier = Classifier(model);
        RecurrentTextClassifierOptions o = classifier.Options;
        IDataView scored = classifier.Transform(data);
        if (classifier.IsBinary)
        {
            CalibratedBinaryClassificationMetrics m = ml.BinaryClassification.Evaluate(scored, o.LabelColumnName, o.ScoreColumnName,
                o.ProbabilityColumnName, o.PredictedLabelColumnName);
            // ML.NET's binary confusion matrix lists the positive class first.
            string[] names = ["True", "False"];
            ConfusionCounts confusion = ConfusionCounts.FromMlNet(m.ConfusionMatrix, names);
            return new EvaluationReport(dataName, (long)confusion.Counts.Sum(r => r.Sum()),
                [new("accuracy", m.Accuracy), new("auc", m.AreaUnderRocCurve), new("f1", m.F1Score), new("auprc", m.AreaUnderPrecisionRecallCurve),
                 new("positive_precision", m.PositivePrecision), new("positive_recall", m.PositiveRecall),
                 new("negative_precision", m.NegativePrecision), new("negative_recall", m.NegativeRecall), new("log_loss", m.LogLoss)],
                "class", PerClass(m.ConfusionMatrix, names), confusion);
        }

        MulticlassClassificationMetrics mc = ml.MulticlassClassification.Evaluate(scored, o.LabelColumnName, o.ScoreColumnName, o.PredictedLabelColumnName);
        ClassRow[] rows = PerClass(mc.ConfusionMatrix, classifier.Classes);
        ConfusionCounts counts = ConfusionCounts.FromMlNet(mc.ConfusionMatrix, classifier.Classes);
        return new EvaluationReport(dataName, (long)counts.Counts.Sum(r => r.Sum()),
            [new("accuracy", mc.MicroAccuracy), new("macro_accuracy", mc.MacroAccuracy), new("macro_f1", rows.Average(r => r.F1)),
             new("log_loss", mc.LogLoss), new("log_loss_reduction", mc.LogLossReduction)],
            "class", rows, counts);
    }

    public override IReadOnlyList<string> PredictText(Terminal terminal, MLContext ml, ITransformer model, string text, string? pictures)
    {
        TextClassifierTransformer classifier = Classifier(model);
        RecurrentTextClassifierOptions o = classifier.Options;
        var definition = SchemaDefinition.Create(typeof(TextRow));
        definition[0].ColumnName = o.TextColumnName;
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable([new TextRow { Text = text }], definition));
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        cursor.MoveNext();
        var table = ReportRenderer.NewTable(terminal, "Prediction");
        table.AddColumn("class").AddColumn(new TableColumn("probability").RightAligned());
        string predicted;
        if (classifier.IsBinary)
        {
            bool value = default;
            float probability = default;
            cursor.GetGetter<bool>(scored.Schema[o.PredictedLabelColumnName])(ref value);
            cursor.GetGetter<float>(scored.Schema[o.ProbabilityColumnName])(ref probability);
            predicted = value.ToString();
            table.AddRow("True", ReportRenderer.F(probability)).AddRow("False", ReportRenderer.F(1 - probability));
        }
        else
        {
            ReadOnlyMemory<char> value = default;
            VBuffer<float> scores = default;
            cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema[o.PredictedLabelColumnName])(ref value);
            cursor.GetGetter<VBuffer<float>>(scored.Schema[o.ScoreColumnName])(ref scores);
            predicted = value.ToString();
            float[] p = scores.DenseValues().ToArray();
            foreach (int i in Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]))
            {
                table.AddRow(Terminal.Escape(classifier.Classes[i]), ReportRenderer.F(p[i]));
            }
        }

        terminal.Markup($"predicted [bold]{Terminal.Escape(predicted)}[/]");
        terminal.Out.Write(table);
        if (o.Pooling == TimePooling.Attention)
        {
            VBuffer<float> weights = default;
            cursor.GetGetter<VBuffer<float>>(scored.Schema[o.AttentionWeightsColumnName])(ref weights);
            string[] tokens = classifier.Tokenize(text);
            terminal.Line("attention: " + string.Join(" ", tokens.Zip(weights.DenseValues(),
                (t, w) => string.Create(CultureInfo.InvariantCulture, $"{t}({w:0.00})"))));
        }

        terminal.Line($"PredictedLabel: {predicted}");
        return pictures is null ? [] : TextClassificationPictures.Write(terminal, classifier, text, pictures);
    }

    public override long PredictFile(MLContext ml, ITransformer model, string path, string output)
    {
        TextClassifierTransformer classifier = Classifier(model);
        RecurrentTextClassifierOptions o = classifier.Options;
        DelimitedFile file = DelimitedFile.Open(path, "dataset");
        file.Require(o.TextColumnName, "the model's text column");
        file.Check([], null);
        IDataView scored = model.Transform(file.Load(ml));
        DataViewSchema schema = scored.Schema;
        using DataViewRowCursor cursor = scored.GetRowCursor(schema);
        ValueGetter<ReadOnlyMemory<char>> readText = cursor.GetGetter<ReadOnlyMemory<char>>(schema[o.TextColumnName]);
        string[] header = classifier.IsBinary
            ? [o.TextColumnName, o.PredictedLabelColumnName, o.ProbabilityColumnName]
            : [o.TextColumnName, o.PredictedLabelColumnName, .. classifier.Classes.Select(c => $"P({c})")];
        return OutputFile.WriteTsv(output, header, Rows());

        IEnumerable<string[]> Rows()
        {
            ReadOnlyMemory<char> textValue = default, label = default;
            bool flag = default;
            float probability = default;
            VBuffer<float> scores = default;
            while (cursor.MoveNext())
            {
                readText(ref textValue);
                if (classifier.IsBinary)
                {
                    cursor.GetGetter<bool>(schema[o.PredictedLabelColumnName])(ref flag);
                    cursor.GetGetter<float>(schema[o.ProbabilityColumnName])(ref probability);
                    yield return [textValue.ToString(), flag.ToString(), probability.ToString("0.######", CultureInfo.InvariantCulture)];
                }
                else
                {
                    cursor.GetGetter<ReadOnlyMemory<char>>(schema[o.PredictedLabelColumnName])(ref label);
                    cursor.GetGetter<VBuffer<float>>(schema[o.ScoreColumnName])(ref scores);
                    yield return [textValue.ToString(), label.ToString(), .. scores.DenseValues().Select(p => p.ToString("0.######", CultureInfo.InvariantCulture))];
                }
            }
        }
    }

    public override string GenerateCode(ITransformer model, string modelPath) => TextClassificationCode.Generate(Classifier(model), modelPath);

    private static TextClassifierTransformer Classifier(ITransformer model) =>
        Find<TextClassifierTransformer>(model) ?? throw new CliException("The model holds no text classifier.");

    private static Dictionary<string, DataKind>? LabelType(string label, bool binary) => binary ? new() { [label] = DataKind.Boolean } : null;

    private static bool IsBoolean(string value) => value.ToLowerInvariant() is "true" or "false" or "1" or "0";

    private static void CheckLabels(DelimitedFile file, string label, bool binary, IReadOnlyList<string>? classes, string what)
    {
        var known = classes is null ? null : new HashSet<string>(classes, StringComparer.Ordinal);
        foreach ((long line, string value) in file.Check([label], label))
        {
            if (binary && !IsBoolean(value))
            {
                throw new DataFormatException(file.Name, line, label, $"\"{value}\" is not a Boolean label (true/false or 1/0) as in {what}");
            }

            if (known is not null && !known.Contains(value))
            {
                throw new DataFormatException(file.Name, line, label,
                    $"label \"{value}\" is not one of {what}: {string.Join(", ", classes!.Take(12))}{(classes!.Count > 12 ? ", …" : "")}");
            }
        }
    }

    private static ClassRow[] PerClass(ConfusionMatrix matrix, IReadOnlyList<string> names) => Enumerable.Range(0, matrix.NumberOfClasses)
        .Select(i =>
        {
            double p = matrix.PerClassPrecision[i], r = matrix.PerClassRecall[i];
            return new ClassRow(names[i], p, r, p + r > 0 ? 2 * p * r / (p + r) : 0, (long)matrix.Counts[i].Sum());
        }).ToArray();

    /// <summary>One row of text for a one-off prediction (the column is renamed to the model's text column).</summary>
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    /// <summary>One class name, for MapValueToKey's key data.</summary>
    private sealed class KeyValue
    {
        public string Value { get; set; } = "";
    }
}
