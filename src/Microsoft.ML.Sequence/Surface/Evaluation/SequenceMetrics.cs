using System.Globalization;
using System.Text;

namespace Microsoft.ML.Sequence;

/// <summary>Base of metrics objects: immutable results of an evaluation whose <see cref="ToString"/> prints a table of
/// the headline values and of the per-class values.</summary>
/// <remarks>Derived classes expose each metric as a documented get-only property, have public constructors (so tests and
/// custom evaluators can build them), and list the same values in <see cref="GetEntries"/>.</remarks>
public abstract class SequenceMetrics
{
    /// <summary>The headline values, in display order.</summary>
    /// <returns>The entries.</returns>
    public abstract IReadOnlyList<MetricEntry> GetEntries();

    /// <summary>The per-class values, if any, in display order.</summary>
    /// <returns>The lists; empty by default.</returns>
    public virtual IReadOnlyList<PerClassValues> GetPerClassValues() => [];

    /// <summary>A text table: one line per headline metric, then one line per class with a column per per-class metric.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        IReadOnlyList<MetricEntry> entries = GetEntries();
        int width = entries.Select(e => e.Name.Length).DefaultIfEmpty(6).Max();
        text.AppendLine($"{GetType().Name}");
        foreach (MetricEntry entry in entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {entry.Name.PadRight(width)}  {entry.Value,10:F4}  ({(entry.HigherIsBetter ? "higher" : "lower")} is better)");
        }

        IReadOnlyList<PerClassValues> perClass = GetPerClassValues();
        if (perClass.Count > 0)
        {
            IReadOnlyList<string> classes = perClass[0].ClassNames;
            int classWidth = Math.Max(5, classes.Select(c => c.Length).DefaultIfEmpty(5).Max());
            text.Append("  ").Append("Class".PadRight(classWidth));
            foreach (PerClassValues values in perClass)
            {
                text.Append("  ").Append(values.MetricName.PadLeft(10));
            }

            text.AppendLine();
            for (int c = 0; c < classes.Count; c++)
            {
                text.Append("  ").Append(classes[c].PadRight(classWidth));
                foreach (PerClassValues values in perClass)
                {
                    text.Append("  ").Append(values[c].ToString("F4", CultureInfo.InvariantCulture).PadLeft(Math.Max(10, values.MetricName.Length)));
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
