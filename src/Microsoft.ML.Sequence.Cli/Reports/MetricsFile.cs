using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Cli.Reports;

/// <summary>metrics.json: the task, the data, the evaluation (headline metrics, per class, confusion matrix) and the
/// epochs, written atomically (temporary file, then rename).</summary>
internal static class MetricsFile
{
    public static JsonObject Build(string task, string dataset, long trainingRows, EvaluationReport? report, TrainingHistory? history,
        string metricName, double seconds)
    {
        var root = new JsonObject
        {
            ["task"] = task,
            ["dataset"] = dataset,
            ["training_rows"] = trainingRows,
            ["training_seconds"] = Math.Round(seconds, 3),
        };
        if (report is not null)
        {
            root["evaluation"] = Evaluation(report);
        }

        if (history is not null)
        {
            root["history"] = new JsonObject
            {
                ["validation_metric"] = metricName,
                ["best_epoch"] = history.BestEpoch,
                ["stopped_early"] = history.StoppedEarly,
                ["interrupted"] = history.Interrupted,
                ["epochs"] = new JsonArray(history.Epochs.Select(e => (JsonNode)new JsonObject
                {
                    ["epoch"] = e.Epoch,
                    ["training_loss"] = Number(e.TrainingLoss),
                    ["validation_loss"] = Number(e.ValidationLoss),
                    ["validation_metric"] = Number(e.ValidationMetric),
                    ["seconds"] = Math.Round(e.Duration.TotalSeconds, 3),
                    ["tokens_per_second"] = Math.Round(e.TokensPerSecond, 1),
                }).ToArray()),
            };
        }

        return root;
    }

    public static JsonObject Evaluation(EvaluationReport report)
    {
        var metrics = new JsonObject();
        foreach ((string name, double value) in report.Metrics)
        {
            metrics[name] = Number(value);
        }

        var result = new JsonObject
        {
            ["dataset"] = report.Dataset,
            ["rows"] = report.Rows,
            ["metrics"] = metrics,
            ["per_class"] = new JsonArray(report.PerClass.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["precision"] = Number(c.Precision),
                ["recall"] = Number(c.Recall),
                ["f1"] = Number(c.F1),
                ["support"] = c.Support,
            }).ToArray()),
        };
        if (report.Confusion is ConfusionCounts confusion)
        {
            result["confusion_matrix"] = new JsonObject
            {
                ["labels"] = new JsonArray(confusion.Labels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
                ["counts"] = new JsonArray(confusion.Counts.Select(row => (JsonNode)new JsonArray(row.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray())).ToArray()),
            };
        }

        return result;
    }

    public static void Write(JsonObject content, string path)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static JsonNode? Number(double? value) => value is double v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
