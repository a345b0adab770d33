using System.Globalization;
using Microsoft.ML.Sequence.Estimators.Training;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Reports;

/// <summary>Prints reports as tables: headline metrics, per-class figures, the confusion matrix, the epochs.</summary>
internal static class ReportRenderer
{
    public static void Write(Terminal terminal, EvaluationReport report)
    {
        terminal.Line($"Evaluated on {report.Dataset}: {report.Rows:N0} rows");
        var metrics = NewTable(terminal, "Metrics");
        metrics.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach ((string name, double value) in report.Metrics)
        {
            metrics.AddRow(Terminal.Escape(name), F(value));
        }

        terminal.Out.Write(metrics);
        if (report.PerClass.Count > 0)
        {
            var classes = NewTable(terminal, $"Per {report.ClassHeader}");
            classes.AddColumn(report.ClassHeader);
            foreach (string column in new[] { "precision", "recall", "F1", "support" })
            {
                classes.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (ClassRow row in report.PerClass)
            {
                classes.AddRow(Terminal.Escape(row.Name), F(row.Precision), F(row.Recall), F(row.F1), row.Support.ToString("N0", CultureInfo.InvariantCulture));
            }

            terminal.Out.Write(classes);
        }

        if (report.Confusion is ConfusionCounts confusion && confusion.Labels.Count <= 20)
        {
            var matrix = NewTable(terminal, "Confusion matrix");
            matrix.AddColumn("true \\ predicted");
            foreach (string label in confusion.Labels)
            {
                matrix.AddColumn(new TableColumn(Terminal.Escape(label)).RightAligned());
            }

            for (int t = 0; t < confusion.Labels.Count; t++)
            {
                matrix.AddRow([Terminal.Escape(confusion.Labels[t]),
                    .. confusion.Counts[t].Select((c, p) => p == t && terminal.Live ? $"[green]{c:0}[/]" : c.ToString("0", CultureInfo.InvariantCulture))]);
            }

            terminal.Out.Write(matrix);
        }
    }

    public static void WriteHistory(Terminal terminal, TrainingHistory history, string metricName)
    {
        var table = NewTable(terminal, "Epochs");
        table.AddColumn(new TableColumn("epoch").RightAligned()).AddColumn(new TableColumn("train loss").RightAligned())
            .AddColumn(new TableColumn("validation loss").RightAligned()).AddColumn(new TableColumn(metricName).RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("tokens/s").RightAligned());
        foreach (EpochSummary epoch in history.Epochs)
        {
            string mark = epoch.Epoch == history.BestEpoch ? (terminal.Live ? " [green](kept)[/]" : " (kept)") : "";
            table.AddRow(epoch.Epoch.ToString(CultureInfo.InvariantCulture), F(epoch.TrainingLoss), F(epoch.ValidationLoss),
                F(epoch.ValidationMetric) + mark, epoch.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                epoch.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        }

        terminal.Out.Write(table);
    }

    public static Table NewTable(Terminal terminal, string title) => new Table()
    {
        Title = new TableTitle(Terminal.Escape(title)),
        Border = terminal.Live ? TableBorder.Rounded : TableBorder.Markdown,
    };

    public static string F(double? value) => value is double v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
