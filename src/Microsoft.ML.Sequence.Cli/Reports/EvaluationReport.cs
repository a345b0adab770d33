namespace Microsoft.ML.Sequence.Cli.Reports;

/// <summary>What evaluating a model on a data set gives, in a task-neutral shape the terminal tables, metrics.json and
/// the confusion-matrix picture all read.</summary>
/// <param name="Dataset">The data set scored (a file name, or "validation part of F").</param>
/// <param name="Rows">Rows (sentences for tagging) scored.</param>
/// <param name="Metrics">Headline figures by snake_case name, in display order (for example accuracy, auc).</param>
/// <param name="ClassHeader">What a per-class row is: "class", "tag" or "span type".</param>
/// <param name="PerClass">Precision, recall, F1 and support per class.</param>
/// <param name="Confusion">The confusion matrix (rows: true class), or null.</param>
internal sealed record EvaluationReport(string Dataset, long Rows, IReadOnlyList<KeyValuePair<string, double>> Metrics, string ClassHeader,
    IReadOnlyList<ClassRow> PerClass, ConfusionCounts? Confusion);

/// <summary>One class's figures.</summary>
internal sealed record ClassRow(string Name, double Precision, double Recall, double F1, long Support);

/// <summary>counts[t][p]: items of true class t predicted as p.</summary>
internal sealed record ConfusionCounts(IReadOnlyList<string> Labels, double[][] Counts)
{
    public static ConfusionCounts FromMlNet(Microsoft.ML.Data.ConfusionMatrix matrix, IReadOnlyList<string> labels) =>
        new(labels, matrix.Counts.Select(row => row.ToArray()).ToArray());
}
