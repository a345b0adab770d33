using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Per-op overhead: 100,000 additions of two 4-element tensors, ours and PyTorch's, alternating.</summary>
internal static class OpOverheadBenchmark
{
    private const int Iterations = 100_000;
    private const int Warmups = 2;
    private const int Repetitions = 7;

    public static void Run(PythonWorker python, Report report)
    {
        Console.WriteLine($"op overhead: {Iterations:N0} × (a + b) on 4-element float32 tensors");
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int rep = 0; rep < Warmups + Repetitions; rep++)
        {
            double ourSeconds = TimeOurs();
            double pySeconds = python.Request(new { command = "op_overhead", iterations = Iterations })["seconds"]!.GetValue<double>();
            if (rep >= Warmups)
            {
                ours.Add(ourSeconds * 1e6 / Iterations);
                theirs.Add(pySeconds * 1e6 / Iterations);
            }
        }

        Timing our = Timing.Of(ours), their = Timing.Of(theirs);
        report.AddRow("add 4 elements", "ours", our, "µs/op");
        report.AddRow("add 4 elements", "pytorch", their, "µs/op");
        report.AddMetric("op_overhead_speedup_vs_pytorch", their.Median / our.Median);
    }

    // The timing loop is called only a few times, so tiered compilation would leave it at tier 0 / on-stack replacement
    // and make the figure bimodal (0.8 or 1.2 µs per op); compiling it fully once, as a harness should, removes that.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TimeOurs()
    {
        using Tensor a = Tensor.Rand([4]);
        using Tensor b = Tensor.Rand([4]);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Iterations; i++)
        {
            using Tensor c = a + b;
        }

        return watch.Elapsed.TotalSeconds;
    }
}
