using System.Globalization;
using System.Text;

namespace Microsoft.ML.Sequence;

/// <summary>Counts of (actual class, predicted class) pairs, with per-class precision and recall; prints itself as a
/// table. Classes are in key order with their names (the label's key values).</summary>
public sealed class ClassConfusionTable
{
    private readonly long[,] _counts;
    private readonly string[] _classNames;

    /// <summary>A table from counts.</summary>
    /// <param name="classNames">Class names in key order.</param>
    /// <param name="counts"><c>counts[actual, predicted]</c>, zero-based class indices; copied.</param>
    public ClassConfusionTable(IReadOnlyList<string> classNames, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != classNames.Count || counts.GetLength(1) != classNames.Count)
        {
            throw new ArgumentException(
                $"{classNames.Count} classes need a {classNames.Count}×{classNames.Count} table, got {counts.GetLength(0)}×{counts.GetLength(1)}.", nameof(counts));
        }

        _classNames = classNames.ToArray();
        _counts = (long[,])counts.Clone();
        foreach (long count in _counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
        }
    }

    /// <summary>Counts pairs of zero-based class indices.</summary>
    /// <param name="classNames">Class names in key order.</param>
    /// <param name="actual">Actual class of each example.</param>
    /// <param name="predicted">Predicted class of each example, same length.</param>
    /// <returns>The table.</returns>
    public static ClassConfusionTable FromPairs(IReadOnlyList<string> classNames, IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"{actual.Count} actual classes but {predicted.Count} predictions.", nameof(predicted));
        }

        var counts = new long[classNames.Count, classNames.Count];
        for (int i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= (uint)classNames.Count || (uint)predicted[i] >= (uint)classNames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(actual), $"Example {i}: classes {actual[i]} → {predicted[i]} outside 0..{classNames.Count - 1}.");
            }

            counts[actual[i], predicted[i]]++;
        }

        return new ClassConfusionTable(classNames, counts);
    }

    /// <summary>Class names in key order.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Number of classes.</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Total number of examples.</summary>
    public long Total => _counts.Cast<long>().Sum();

    /// <summary>Number of examples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">Zero-based actual class.</param>
    /// <param name="predicted">Zero-based predicted class.</param>
    /// <returns>The count.</returns>
    public long GetCount(int actual, int predicted) => _counts[actual, predicted];

    /// <summary>Fraction of examples on the diagonal, in [0, 1]; higher is better; 0 when empty.</summary>
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, ClassCount).Sum(c => _counts[c, c]) / (double)Total;

    /// <summary>Per class: correct / predicted as that class, in [0, 1] (0 when never predicted); higher is better.</summary>
    public PerClassValues Precision => new("Precision", _classNames,
        Enumerable.Range(0, ClassCount).Select(c => Ratio(_counts[c, c], Column(c))).ToArray());

    /// <summary>Per class: correct / examples of that class, in [0, 1] (0 when absent); higher is better.</summary>
    public PerClassValues Recall => new("Recall", _classNames,
        Enumerable.Range(0, ClassCount).Select(c => Ratio(_counts[c, c], Row(c))).ToArray());

    /// <summary>The table: one row per actual class, one column per predicted class, then recall; a last row of
    /// precision.</summary>
    /// <returns>The table as text.</returns>
    public override string ToString()
    {
        int width = Math.Max(9, _classNames.Select(n => n.Length).DefaultIfEmpty(0).Max()) + 1;
        var text = new StringBuilder();
        text.Append("actual \\ predicted".PadRight(width + 9));
        foreach (string name in _classNames) text.Append(name.PadLeft(width));
        text.AppendLine("Recall".PadLeft(width));
        PerClassValues recall = Recall, precision = Precision;
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append(_classNames[a].PadRight(width + 9));
            for (int p = 0; p < ClassCount; p++) text.Append(_counts[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            text.AppendLine(recall[a].ToString("F4", CultureInfo.InvariantCulture).PadLeft(width));
        }

        text.Append("Precision".PadRight(width + 9));
        foreach (double value in precision) text.Append(value.ToString("F4", CultureInfo.InvariantCulture).PadLeft(width));
        return text.AppendLine().ToString();
    }

    private long Row(int c) => Enumerable.Range(0, ClassCount).Sum(p => _counts[c, p]);

    private long Column(int c) => Enumerable.Range(0, ClassCount).Sum(a => _counts[a, c]);

    private static double Ratio(long a, long b) => b == 0 ? 0 : a / (double)b;
}
