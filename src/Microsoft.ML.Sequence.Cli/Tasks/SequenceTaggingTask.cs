using System.CommandLine;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Cli.Data;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Transforms;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary><c>mlseq train sequence-tagging</c>: a CoNLL-U file (or whitespace CoNLL), one tag per token. Tags with B-/I-
/// prefixes are spans (BIO: span F1 per type, CRF constraints); other tags (part of speech) are scored per tag.</summary>
internal sealed class SequenceTaggingTask : CliTask
{
    private static readonly Option<string> TokensColumn = new("--tokens-col") { Description = "The tokens column.", DefaultValueFactory = _ => "Tokens" };
    private static readonly Option<string[]> ConllColumns = new("--conll-columns")
    {
        Description = "Column names of a whitespace CoNLL file (not .conllu), in order.",
        DefaultValueFactory = _ => ["Tokens", "Pos", "Chunk", "Tags"],
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<bool> Crf = new("--crf") { Description = "A CRF output layer instead of a softmax." };
    private static readonly Option<bool> CharacterEncoder = new("--char-encoder")
    {
        Description = "A character-level BiLSTM word encoder (for unseen words).",
        DefaultValueFactory = _ => true,
    };

    public override string Name => "sequence-tagging";

    public override string Description => "Part-of-speech or named-entity tags from a CoNLL-U or CoNLL file: a BiLSTM tagger.";

    public override string DefaultLabelColumn => "Upos";

    public override string MetricName => "validation token accuracy";

    public override IReadOnlyList<Option> TrainOptions => [TokensColumn, ConllColumns, Crf, CharacterEncoder];

    public override TrainedModel Train(TrainContext context)
    {
        MLContext ml = context.Ml;
        string tokens = context.Parse.GetValue(TokensColumn)!, label = context.LabelColumn;
        string[] conll = context.Parse.GetValue(ConllColumns)!;
        IDataView all = ml.Data.Cache(Open(ml, context.Dataset, "dataset", tokens, label, conll));
        string[] tags = Distinct(all, label);
        IDataView train, validation;
        string validationName;
        if (context.ValidationDataset is string validationPath)
        {
            (train, validation, validationName) = (all, ml.Data.Cache(Open(ml, validationPath, "validation dataset", tokens, label, conll)), Path.GetFileName(validationPath));
            string? unseen = Distinct(validation, label).FirstOrDefault(t => Array.BinarySearch(tags, t, StringComparer.Ordinal) < 0);
            if (unseen is not null)
            {
                throw new CliException($"{validationName}: tag \"{unseen}\" in column \"{label}\" does not occur in the training data.");
            }
        }
        else
        {
            DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(all, testFraction: 0.1, seed: context.Seed);
            (train, validation, validationName) = (split.TrainSet, split.TestSet, $"the validation part (10%, seed {context.Seed}) of {Path.GetFileName(context.Dataset)}");
        }

        // Keyed on all sentences so a tag drawn only into the validation part still has a key.
        ITransformer keys = ml.Transforms.Conversion.MapValueToKey(label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(all);
        IDataView labelledValidation = keys.Transform(validation);
        bool spans = IsSpanScheme(tags);
        var options = new RecurrentSequenceTaggerOptions
        {
            TokensColumnName = tokens,
            LabelColumnName = label,
            Seed = context.Seed,
            ValidationSet = labelledValidation,
            EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.Accuracy, Patience = context.Patience, RestoreBestWeights = true },
            Output = context.Parse.GetValue(Crf) ? TaggerOutput.Crf : TaggerOutput.Softmax,
            TagScheme = spans ? TagScheme.Bio : TagScheme.None,
            UseCharacterEncoder = context.Parse.GetValue(CharacterEncoder),
            CancellationToken = context.Interruption.Abort,
            StopToken = context.Interruption.Stop,
        };
        options.MaxEpochs = context.MaxEpochs ?? options.MaxEpochs;
        options.HiddenSize = context.HiddenSize ?? options.HiddenSize;
        options.BatchSize = context.BatchSize ?? options.BatchSize;
        long trainingRows = CountRows(train, tokens);
        options.ReportEvery = Math.Max(1, (int)(trainingRows / options.BatchSize / 25));
        SequenceTaggerTransformer tagger = context.View.Run(progress =>
        {
            options.Progress = progress;
            return ml.MulticlassClassification.Trainers.RecurrentSequenceTagger(options).Fit(keys.Transform(train));
        });
        ITransformer back = ml.Transforms.Conversion.MapKeyToValue(options.PredictedLabelColumnName).Fit(tagger.Transform(labelledValidation));
        return new TrainedModel(new TransformerChain<ITransformer>(tagger, back), all.Schema, tagger.History!, labelledValidation, validationName, trainingRows);
    }

    public override bool Owns(ITransformer model) => Find<SequenceTaggerTransformer>(model) is not null;

    public override IDataView LoadLabelled(MLContext ml, ITransformer model, string path)
    {
        SequenceTaggerTransformer tagger = Tagger(model);
        RecurrentSequenceTaggerOptions o = tagger.Options;
        IDataView data = ml.Data.Cache(Open(ml, path, "dataset", o.TokensColumnName, o.LabelColumnName, ["Tokens", "Pos", "Chunk", "Tags"]));
        string? unseen = Distinct(data, o.LabelColumnName).FirstOrDefault(t => !tagger.TagNames.Contains(t));
        if (unseen is not null)
        {
            throw new CliException($"{Path.GetFileName(path)}: tag \"{unseen}\" in column \"{o.LabelColumnName}\" is not one of the model's tags: {string.Join(", ", tagger.TagNames)}.");
        }

        IDataView keyData = ml.Data.LoadFromEnumerable(tagger.TagNames.Select(t => new KeyValue { Value = t }));
        return ml.Transforms.Conversion.MapValueToKey(o.LabelColumnName, keyData: keyData).Fit(data).Transform(data);
    }

    public override EvaluationReport Evaluate(MLContext ml, ITransformer model, IDataView data, string dataName)
    {
        SequenceTaggerTransformer tagger = Tagger(model);
        RecurrentSequenceTaggerOptions o = tagger.Options;
        IDataView tagged = ml.Data.Cache(tagger.Transform(data));
        bool spans = IsSpanScheme(tagger.TagNames);
        SequenceTaggingMetrics m = ml.MulticlassClassification.EvaluateSequenceTagging(tagged, o.LabelColumnName, o.PredictedLabelColumnName,
            spans ? SpanTagFormat.Prefixed : SpanTagFormat.Raw);
        ClassRow[] rows = m.PerType.Values.Select(t => new ClassRow(t.Type, t.Precision, t.Recall, t.F1Score, t.Support)).ToArray();
        KeyValuePair<string, double>[] metrics = spans
            ? [new("token_accuracy", m.TokenAccuracy), new("span_precision", m.Precision), new("span_recall", m.Recall), new("span_f1", m.F1Score), new("macro_f1", m.MacroF1)]
            : [new("token_accuracy", m.TokenAccuracy), new("macro_f1", m.MacroF1)];
        return new EvaluationReport(dataName, m.SentenceCount, metrics, spans ? "span type" : "tag", rows,
            TokenConfusion(tagged, o, tagger.TagNames));
    }

    public override IReadOnlyList<string> PredictText(Terminal terminal, MLContext ml, ITransformer model, string text, string? pictures)
    {
        if (pictures is not null)
        {
            throw new CliException("--pictures: the sequence tagger has no per-prediction pictures (text classifiers do).");
        }

        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw new CliException("--text has no token (tokens are separated by white space).");
        }

        string[] tags = Tag(ml, model, [words])[0];
        var table = ReportRenderer.NewTable(terminal, "Prediction");
        table.AddColumn("token").AddColumn("tag");
        for (int i = 0; i < words.Length; i++)
        {
            table.AddRow(Terminal.Escape(words[i]), Terminal.Escape(tags[i]));
        }

        terminal.Out.Write(table);
        terminal.Line("tagged: " + string.Join(" ", words.Zip(tags, (w, t) => $"{w}/{t}")));
        return [];
    }

    public override long PredictFile(MLContext ml, ITransformer model, string path, string output)
    {
        RecurrentSequenceTaggerOptions o = Tagger(model).Options;
        IDataView data = ConllInput.Open(ml, path, "dataset", ["Tokens", "Pos", "Chunk", "Tags"]);
        ConllInput.Require(data, o.TokensColumnName, "the model's tokens column", path);
        IDataView tagged = model.Transform(data);
        using DataViewRowCursor cursor = tagged.GetRowCursor([tagged.Schema[o.TokensColumnName], tagged.Schema[o.PredictedLabelColumnName]]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> readTokens = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(tagged.Schema[o.TokensColumnName]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> readTags = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(tagged.Schema[o.PredictedLabelColumnName]);
        // Whitespace CoNLL: one "token<TAB>tag" line per token, a blank line after each sentence.
        return OutputFile.Write(output, writer =>
        {
            VBuffer<ReadOnlyMemory<char>> words = default, tags = default;
            long sentences = 0;
            while (cursor.MoveNext())
            {
                readTokens(ref words);
                readTags(ref tags);
                foreach ((ReadOnlyMemory<char> word, ReadOnlyMemory<char> tag) in words.DenseValues().Zip(tags.DenseValues()))
                {
                    writer.WriteLine($"{word}\t{tag}");
                }

                writer.WriteLine();
                sentences++;
            }

            return sentences;
        });
    }

    public override string GenerateCode(ITransformer model, string modelPath) => SequenceTaggingCode.Generate(Tagger(model), modelPath);

    private static string[][] Tag(MLContext ml, ITransformer model, string[][] sentences)
    {
        RecurrentSequenceTaggerOptions o = Tagger(model).Options;
        var definition = SchemaDefinition.Create(typeof(TokensRow));
        definition[0].ColumnName = o.TokensColumnName;
        IDataView rows = ml.Data.LoadFromEnumerable(sentences.Select(s => new TokensRow { Tokens = s }), definition);
        return model.Transform(rows).GetColumn<string[]>(o.PredictedLabelColumnName).ToArray();
    }

    private static IDataView Open(MLContext ml, string path, string role, string tokens, string label, IReadOnlyList<string> conll)
    {
        IDataView data = ConllInput.Open(ml, path, role, conll);
        ConllInput.Require(data, tokens, "--tokens-col", path);
        ConllInput.Require(data, label, "--label-col", path);
        return data;
    }

    private static SequenceTaggerTransformer Tagger(ITransformer model) =>
        Find<SequenceTaggerTransformer>(model) ?? throw new CliException("The model holds no sequence tagger.");

    private static bool IsSpanScheme(IEnumerable<string> tags) => tags.Any(t => t.StartsWith("B-", StringComparison.Ordinal) || t.StartsWith("I-", StringComparison.Ordinal));

    private static string[] Distinct(IDataView data, string column) =>
        data.GetColumn<string[]>(column).SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Token-level confusion counts from the gold and predicted key vectors (keys 1..K are the tags).</summary>
    private static ConfusionCounts TokenConfusion(IDataView tagged, RecurrentSequenceTaggerOptions o, IReadOnlyList<string> tags)
    {
        double[][] counts = tags.Select(_ => new double[tags.Count]).ToArray();
        DataViewSchema.Column gold = tagged.Schema[o.LabelColumnName], predicted = tagged.Schema[o.PredictedLabelColumnName];
        using DataViewRowCursor cursor = tagged.GetRowCursor([gold, predicted]);
        ValueGetter<VBuffer<uint>> readGold = cursor.GetGetter<VBuffer<uint>>(gold), readPredicted = cursor.GetGetter<VBuffer<uint>>(predicted);
        VBuffer<uint> g = default, p = default;
        while (cursor.MoveNext())
        {
            readGold(ref g);
            readPredicted(ref p);
            foreach ((uint t, uint q) in g.DenseValues().Zip(p.DenseValues()))
            {
                if (t > 0 && q > 0 && t <= tags.Count && q <= tags.Count)
                {
                    counts[t - 1][q - 1]++;
                }
            }
        }

        return new ConfusionCounts(tags, counts);
    }

    /// <summary>One sentence for a one-off prediction (the column is renamed to the model's tokens column).</summary>
    private sealed class TokensRow
    {
        public string[] Tokens { get; set; } = [];
    }

    /// <summary>One tag, for MapValueToKey's key data.</summary>
    private sealed class KeyValue
    {
        public string Value { get; set; } = "";
    }
}
