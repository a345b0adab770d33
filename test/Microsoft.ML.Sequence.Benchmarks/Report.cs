using System.Globalization;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Collects table rows while benchmarks run and prints the table, then the METRIC lines, last.</summary>
internal sealed class Report
{
    private readonly List<string[]> _rows = new();
    private readonly List<(string Name, double Value)> _metrics = new();

    public void AddRow(string benchmark, string side, Timing timing, string unit, string note = "") =>
        _rows.Add([benchmark, side, Format(timing.Median), $"{Format(timing.Min)} – {Format(timing.Max)}", unit,
            timing.Count.ToString(CultureInfo.InvariantCulture), note]);

    public void AddMetric(string name, double value) => _metrics.Add((name, value));

    public void Print()
    {
        string[] header = ["benchmark", "side", "median", "min – max", "unit", "reps", "note"];
        var all = new List<string[]> { header };
        all.AddRange(_rows);
        int[] widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        Console.WriteLine();
        foreach (string[] row in all)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (ReferenceEquals(row, header))
            {
                Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }

        Console.WriteLine();
        foreach ((string name, double value) in _metrics)
        {
            Console.WriteLine($"METRIC {name} {value.ToString("0.####", CultureInfo.InvariantCulture)}");
        }
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture);
}
