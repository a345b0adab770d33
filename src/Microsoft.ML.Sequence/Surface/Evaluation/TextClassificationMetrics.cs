namespace Microsoft.ML.Sequence;

/// <summary>Text classification quality: accuracy (micro and macro), log-loss, per-class precision, recall and F1,
/// macro-F1, AUC for binary models, and the confusion table. Built by
/// <see cref="TextClassificationCatalog.Evaluate"/>, by <see cref="Compute"/>, or from counts by the constructor.</summary>
/// <remarks>
/// <para>Classes are in key order, named by the label's key values.</para>
/// <para>Log-loss is −(1/N) Σ ln max(p_i, 1e-15), with p_i the probability the model gave row i's true class (from
/// <c>Score</c>). AUC is the Mann–Whitney statistic from the positive-class probability: the chance that a random
/// positive row scores above a random negative one, ties counting one half.</para>
/// </remarks>
public sealed class TextClassificationMetrics : SequenceMetrics
{
    /// <summary>Smallest probability used in the log-loss, so a confident mistake costs ln(1e15) ≈ 34.5, not infinity.</summary>
    public const double ProbabilityFloor = 1e-15;

    /// <summary>Creates the metrics from a confusion table and the probability-based figures.</summary>
    /// <param name="confusion">Counts of (actual, predicted) class pairs.</param>
    /// <param name="logLoss">Mean negative log-probability of the true class, at least 0; NaN when unknown.</param>
    /// <param name="auc">Area under the ROC curve for binary models, in [0, 1]; null for more than two classes or when unknown.</param>
    public TextClassificationMetrics(ClassConfusionTable confusion, double logLoss, double? auc)
    {
        ConfusionTable = confusion ?? throw new ArgumentNullException(nameof(confusion));
        if (logLoss < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(logLoss), logLoss, "Log-loss cannot be negative.");
        }

        if (auc is double a && !(a >= 0 && a <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(auc), auc, "AUC must be in [0, 1].");
        }

        LogLoss = logLoss;
        Auc = auc;
        PerClassPrecision = confusion.Precision;
        PerClassRecall = confusion.Recall;
        PerClassF1 = new PerClassValues("F1", confusion.ClassNames,
            PerClassPrecision.Zip(PerClassRecall, (p, r) => p + r == 0 ? 0 : 2 * p * r / (p + r)).ToArray());
        int[] present = Enumerable.Range(0, confusion.ClassCount)
            .Where(c => Enumerable.Range(0, confusion.ClassCount).Sum(p => confusion.GetCount(c, p)) > 0).ToArray();
        MacroAccuracy = present.Length == 0 ? 0 : present.Average(c => PerClassRecall[c]);
        MacroF1 = confusion.ClassCount == 0 ? 0 : PerClassF1.Average();
    }

    /// <summary>The classes, in key order.</summary>
    public IReadOnlyList<string> ClassNames => ConfusionTable.ClassNames;

    /// <summary>Number of rows evaluated.</summary>
    public long RowCount => ConfusionTable.Total;

    /// <summary>Micro-averaged accuracy: correct rows / all rows, in [0, 1]; higher is better.</summary>
    public double MicroAccuracy => ConfusionTable.Accuracy;

    /// <summary>Macro-averaged accuracy: the mean over classes present in the labels of each class's recall (the share of
    /// its rows predicted correctly), in [0, 1]; higher is better. Unlike <see cref="MicroAccuracy"/> it weighs every
    /// class the same.</summary>
    public double MacroAccuracy { get; }

    /// <summary>Mean negative log-probability of the true class, with probabilities floored at
    /// <see cref="ProbabilityFloor"/>; 0 is perfect, ln K is uniform guessing over K classes; lower is better.</summary>
    public double LogLoss { get; }

    /// <summary>Binary models: area under the ROC curve of the positive-class probability (Mann–Whitney, ties count
    /// half), in [0, 1], 0.5 is chance; higher is better. Null for more than two classes, or when one class is absent.</summary>
    public double? Auc { get; }

    /// <summary>Per class: correct / predicted as that class, in [0, 1] (0 when never predicted); higher is better.</summary>
    public PerClassValues PerClassPrecision { get; }

    /// <summary>Per class: correct / rows of that class, in [0, 1] (0 when absent); higher is better.</summary>
    public PerClassValues PerClassRecall { get; }

    /// <summary>Per class: harmonic mean of precision and recall, in [0, 1]; higher is better.</summary>
    public PerClassValues PerClassF1 { get; }

    /// <summary>Unweighted mean of <see cref="PerClassF1"/> over all classes, in [0, 1]; higher is better.</summary>
    public double MacroF1 { get; }

    /// <summary>Counts of (actual, predicted) class pairs; prints itself as a table.</summary>
    public ClassConfusionTable ConfusionTable { get; }

    /// <summary>Computes the metrics from per-row results.</summary>
    /// <param name="classNames">Class names in key order (K of them).</param>
    /// <param name="actual">True class of each row, zero-based.</param>
    /// <param name="scores">Probabilities of each row, K per row in key order; the predicted class is the largest (the
    /// first on ties).</param>
    /// <param name="positiveClass">For binary models, the zero-based class whose probability ranks the rows for AUC; null
    /// (or more than two classes) leaves AUC out. Default: null.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">Counts differ, a class index is out of range, or a row has the wrong number of
    /// probabilities; the message names the row.</exception>
    public static TextClassificationMetrics Compute(IReadOnlyList<string> classNames, IReadOnlyList<int> actual,
        IReadOnlyList<IReadOnlyList<float>> scores, int? positiveClass = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(scores);
        int k = classNames.Count;
        if (actual.Count != scores.Count)
        {
            throw new ArgumentException($"{actual.Count} labels but {scores.Count} score rows.", nameof(scores));
        }

        var predicted = new int[actual.Count];
        double logLoss = 0;
        for (int row = 0; row < actual.Count; row++)
        {
            IReadOnlyList<float> score = scores[row];
            if (score.Count != k)
            {
                throw new ArgumentException($"Row {row} has {score.Count} probabilities; expected {k} (one per class).", nameof(scores));
            }

            if ((uint)actual[row] >= (uint)k)
            {
                throw new ArgumentException($"Row {row}: class {actual[row]} is outside 0..{k - 1}.", nameof(actual));
            }

            int best = 0;
            for (int c = 1; c < k; c++)
            {
                if (score[c] > score[best])
                {
                    best = c;
                }
            }

            predicted[row] = best;
            logLoss -= Math.Log(Math.Max(score[actual[row]], ProbabilityFloor));
        }

        logLoss = actual.Count == 0 ? double.NaN : logLoss / actual.Count;
        double? auc = null;
        if (k == 2 && positiveClass is int positive)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)positive, 1u, nameof(positiveClass));
            auc = AreaUnderCurve(scores.Select(s => (double)s[positive]).ToArray(), actual.Select(a => a == positive).ToArray());
        }

        return new TextClassificationMetrics(ClassConfusionTable.FromPairs(classNames, actual, predicted), double.IsNaN(logLoss) ? 0 : logLoss, auc);
    }

    /// <summary>Area under the ROC curve by the Mann–Whitney rank statistic, tied scores sharing their mean rank.</summary>
    /// <param name="positiveScores">Score of each row (higher means more likely positive).</param>
    /// <param name="isPositive">Whether each row is positive.</param>
    /// <returns>AUC in [0, 1], or null when all rows are of one class.</returns>
    public static double? AreaUnderCurve(IReadOnlyList<double> positiveScores, IReadOnlyList<bool> isPositive)
    {
        ArgumentNullException.ThrowIfNull(positiveScores);
        ArgumentNullException.ThrowIfNull(isPositive);
        if (positiveScores.Count != isPositive.Count)
        {
            throw new ArgumentException($"{positiveScores.Count} scores but {isPositive.Count} labels.", nameof(isPositive));
        }

        int n = positiveScores.Count;
        long positives = isPositive.Count(p => p), negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        int[] order = Enumerable.Range(0, n).OrderBy(i => positiveScores[i]).ToArray();
        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && positiveScores[order[end + 1]] == positiveScores[order[start]])
            {
                end++;
            }

            double meanRank = (start + end) / 2.0 + 1;     // ranks are 1-based; ties share their mean
            for (int i = start; i <= end; i++)
            {
                if (isPositive[order[i]])
                {
                    positiveRankSum += meanRank;
                }
            }

            start = end + 1;
        }

        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<MetricEntry> GetEntries()
    {
        var entries = new List<MetricEntry>
        {
            new("MicroAccuracy", MicroAccuracy, true),
            new("MacroAccuracy", MacroAccuracy, true),
            new("MacroF1", MacroF1, true),
            new("LogLoss", LogLoss, false),
        };
        if (Auc is double auc)
        {
            entries.Add(new MetricEntry("Auc", auc, true));
        }

        return entries;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<PerClassValues> GetPerClassValues() => [PerClassPrecision, PerClassRecall, PerClassF1];

    /// <summary>The headline and per-class table followed by the confusion table.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => base.ToString() + ConfusionTable;
}
