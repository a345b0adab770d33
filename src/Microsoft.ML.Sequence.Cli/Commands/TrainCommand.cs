using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Cli.Reports;
using Microsoft.ML.Sequence.Cli.Tasks;
using Microsoft.ML.Sequence.Cli.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Pictures;

namespace Microsoft.ML.Sequence.Cli.Commands;

// Inside Microsoft.ML.*, the name would find ML.NET\'s namespace Microsoft.ML.Command first.
using Command = System.CommandLine.Command;

/// <summary><c>mlseq train &lt;task&gt;</c>: one subcommand per registered task, the common options plus the task's own.
/// Writes model.zip (atomically), metrics.json, training-curves.png and confusion-matrix.png into --output.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var train = new Command("train", "Train a model from a data file.");
        foreach (CliTask task in TaskRegistry.All)
        {
            train.Add(ForTask(task));
        }

        return train;
    }

    private static Command ForTask(CliTask task)
    {
        var dataset = new Option<string>("--dataset") { Description = "The training data file.", Required = true };
        var validation = new Option<string?>("--validation-dataset") { Description = "Validation data that picks the epoch (default: 10% of --dataset, drawn with the seed)." };
        var label = new Option<string>("--label-col") { Description = "The label column.", DefaultValueFactory = _ => task.DefaultLabelColumn };
        var epochs = new Option<int?>("--max-epochs") { Description = "Most passes over the training data (default: the trainer's)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the batch order and the initial weights.", DefaultValueFactory = _ => 1 };
        var hidden = new Option<int?>("--hidden-size") { Description = "Recurrent units per direction (default: the trainer's)." };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per training batch (default: the trainer's)." };
        var patience = new Option<int>("--patience")
        {
            Description = "Early stopping: epochs without a better validation metric before training stops; the best epoch's weights are kept either way.",
            DefaultValueFactory = _ => 2,
        };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: libtorch's choice)." };
        var output = new Option<string>("--output") { Description = "Folder for model.zip, metrics.json and the pictures (created if missing).", Required = true };
        var command = new Command(task.Name, task.Description) { dataset, validation, label, epochs, seed, hidden, batch, patience, threads, output };
        foreach (Option option in task.TrainOptions)
        {
            command.Add(option);
        }

        CommandRunner.SetAction(command, (parse, terminal) =>
        {
            if (parse.GetValue(patience) < 1)
            {
                throw new CliException($"--patience {parse.GetValue(patience)}: give at least 1 epoch.");
            }

            if (parse.GetValue(threads) is int n)
            {
                TorchThreads.Set(n);
            }

            string outputDirectory = Path.GetFullPath(parse.GetValue(output)!);
            var ml = new MLContext(parse.GetValue(seed));
            if (terminal.Verbose)
            {
                ml.Log += (_, message) =>
                {
                    if (message.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error)
                    {
                        terminal.Warning($"[{message.Source}] {message.Message}");
                    }
                };
            }

            var view = new TrainingView(terminal, task.MetricName);
            using var interruption = new Interruption(view.Notice);
            var context = new TrainContext(ml, parse, parse.GetValue(dataset)!, parse.GetValue(validation), parse.GetValue(label)!,
                parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(hidden), parse.GetValue(batch), parse.GetValue(patience), view, interruption);
            terminal.Markup($"[bold]mlseq train {task.Name}[/] on {Terminal.Escape(context.Dataset)}, seed {context.Seed}");
            var clock = Stopwatch.StartNew();
            TrainedModel trained = task.Train(context);
            double seconds = clock.Elapsed.TotalSeconds;
            Directory.CreateDirectory(outputDirectory);

            string modelPath = Path.Combine(outputDirectory, "model.zip");
            ml.Model.SaveAtomically(trained.Model, trained.InputSchema, modelPath);
            ReportRenderer.WriteHistory(terminal, trained.History, task.MetricName);
            EvaluationReport report = task.Evaluate(ml, trained.Model, trained.Validation, trained.ValidationName);
            ReportRenderer.Write(terminal, report);

            var written = new List<string> { "model.zip", "metrics.json", "training-curves.png" };
            TrainingCurvePicture.Save(trained.History, Path.Combine(outputDirectory, "training-curves.png"), task.MetricName);
            if (report.Confusion is ConfusionCounts confusion)
            {
                ConfusionMatrixPicture.Save(confusion.Counts, confusion.Labels, Path.Combine(outputDirectory, "confusion-matrix.png"));
                written.Add("confusion-matrix.png");
            }

            MetricsFile.Write(MetricsFile.Build(task.Name, Path.GetFullPath(context.Dataset), trained.TrainingRows, report, trained.History,
                task.MetricName, seconds), Path.Combine(outputDirectory, "metrics.json"));
            terminal.Markup($"wrote {Terminal.Escape(string.Join(", ", written))} to [bold]{Terminal.Escape(outputDirectory)}[/] " +
                $"({trained.TrainingRows:N0} training rows, {seconds:0.0} s)");
            if (trained.History.Interrupted)
            {
                terminal.Warning($"training was interrupted by Ctrl+C after {trained.History.Epochs.Count} epoch(s); model.zip holds epoch {trained.History.BestEpoch}'s weights.");
                return ExitCodes.Interrupted;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
