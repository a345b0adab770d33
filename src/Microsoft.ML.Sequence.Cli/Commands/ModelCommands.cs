using System.CommandLine;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Cli.Tasks;

namespace Microsoft.ML.Sequence.Cli.Commands;

// Inside Microsoft.ML.*, the name would find ML.NET\'s namespace Microsoft.ML.Command first.
using Command = System.CommandLine.Command;

/// <summary><c>mlseq evaluate</c>, <c>mlseq predict</c> and <c>mlseq codegen</c>: each loads a model.zip and finds its
/// task through the registry.</summary>
internal static class ModelCommands
{
    private static Option<string> ModelOption() => new("--model") { Description = "The model.zip that mlseq train wrote.", Required = true };

    public static Command Evaluate()
    {
        Option<string> model = ModelOption();
        var dataset = new Option<string>("--dataset") { Description = "Labelled data to score (the training file's format).", Required = true };
        var output = new Option<string?>("--output") { Description = "Also write the metrics as JSON to this file." };
        var command = new Command("evaluate", "Score a model on labelled data: the task's metrics table.") { model, dataset, output };
        CommandRunner.SetAction(command, (parse, terminal) =>
        {
            var ml = new MLContext(seed: 1);
            (ITransformer loaded, CliTask task, string path) = Load(ml, parse.GetValue(model)!);
            string data = parse.GetValue(dataset)!;
            EvaluationReport report = task.Evaluate(ml, loaded, task.LoadLabelled(ml, loaded, data), Path.GetFileName(data));
            ReportRenderer.Write(terminal, report);
            if (parse.GetValue(output) is string json)
            {
                var root = MetricsFile.Evaluation(report);
                root["task"] = task.Name;
                root["model"] = path;
                MetricsFile.Write(root, json);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Predict()
    {
        Option<string> model = ModelOption();
        var text = new Option<string?>("--text") { Description = "One input to predict (a text; for tagging, tokens separated by spaces; for ctc-recognition and image-captioning, the path of an image or WAV file)." };
        var dataset = new Option<string?>("--dataset") { Description = "A data file to predict, row by row (with --output)." };
        var output = new Option<string?>("--output") { Description = "Where --dataset's predictions go (TSV; CoNLL for tagging)." };
        var pictures = new Option<string?>("--pictures")
        {
            Description = "With --text (text classifiers): write attention.png (attention pooling) and unit.png (the hidden unit that best follows the text's quotes, or its position) into this folder; for captioners, attention.png (where the decoder looked for each word).",
        };
        var command = new Command("predict", "Predict with a model: one --text, or every row of --dataset into --output.") { model, text, dataset, output, pictures };
        CommandRunner.SetAction(command, (parse, terminal) =>
        {
            string? one = parse.GetValue(text), file = parse.GetValue(dataset), target = parse.GetValue(output);
            if ((one is null) == (file is null))
            {
                throw new CliException("predict takes either --text \"…\" or --dataset F --output P.tsv.");
            }

            if (file is not null && target is null)
            {
                throw new CliException("--dataset needs --output (the file the predictions go to).");
            }

            var ml = new MLContext(seed: 1);
            (ITransformer loaded, CliTask task, _) = Load(ml, parse.GetValue(model)!);
            if (one is not null)
            {
                IReadOnlyList<string> written = task.PredictText(terminal, ml, loaded, one, parse.GetValue(pictures));
                if (written.Count > 0)
                {
                    terminal.Line($"wrote {string.Join(", ", written)} to {Path.GetFullPath(parse.GetValue(pictures)!)}");
                }
            }
            else
            {
                long rows = task.PredictFile(ml, loaded, file!, target!);
                terminal.Line($"wrote {rows:N0} predictions to {Path.GetFullPath(target!)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Codegen()
    {
        Option<string> model = ModelOption();
        var command = new Command("codegen", "Print a complete C# program that loads the model and predicts.") { model };
        CommandRunner.SetAction(command, (parse, terminal) =>
        {
            var ml = new MLContext(seed: 1);
            (ITransformer loaded, CliTask task, string path) = Load(ml, parse.GetValue(model)!);
            // Plain Console output: the program must come out byte for byte, whatever the terminal.
            Console.Out.Write(task.GenerateCode(loaded, path));
            return ExitCodes.Success;
        });
        return command;
    }

    private static (ITransformer Model, CliTask Task, string Path) Load(MLContext ml, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliException($"model file not found: {full}");
        }

        ITransformer model = ml.Model.Load(full, out DataViewSchema inputSchema);
        return (model, TaskRegistry.ForModel(model, full).ForModelInput(inputSchema), full);
    }
}
