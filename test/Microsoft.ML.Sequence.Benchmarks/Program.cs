using Microsoft.ML.Sequence.Benchmarks;
using Microsoft.ML.Sequence.Torch;

// End-to-end benchmarks against PyTorch on the same libtorch, run by build/bench.sh. Prints a table, then METRIC lines.
// Usage: Microsoft.ML.Sequence.Benchmarks [all | op-overhead | lstm-step | mixed-length | data-pipeline | sst2-classifier | ewt-tagger]...
string[] selected = args.Length == 0 ? ["all"] : args;
bool Wants(string name) => selected.Contains("all") || selected.Contains(name);

// Identical thread settings on both sides (see TorchRuntime's thread policy): 1 intra-op thread, OpenBLAS on every core.
int blasThreads = Math.Max(1, Environment.ProcessorCount);
TorchRuntime.SetThreads(1, blasThreads);
using var python = new PythonWorker();
var pyThreads = python.Request(new { command = "threads", intra = 1, blas = blasThreads });
ThreadSettings ours = TorchRuntime.Threads;
Console.WriteLine($"threads: ours intra-op {ours.IntraOpThreads}, OpenBLAS {ours.BlasThreads}; " +
    $"pytorch intra-op {pyThreads["intra"]}, OpenBLAS {pyThreads["blas"]}; torch {python.Request(new { command = "version" })["torch"]}");

var report = new Report();
// The per-op micro-benchmark runs first, before the other rows fill the managed heap and the native allocator.
(string Name, Action Run)[] benchmarks =
[
    ("op-overhead", () => OpOverheadBenchmark.Run(python, report)),
    ("lstm-step", () => LstmStepBenchmark.Run(python, report)),
    ("mixed-length", () => MixedLengthBenchmark.Run(python, report)),
    ("data-pipeline", () => DataPipelineBenchmark.Run(report)),
    ("sst2-classifier", () => Sst2ClassifierBenchmark.Run(python, report)),
    ("ewt-tagger", () => EwtTaggerBenchmark.Run(python, report)),
];
foreach ((string name, Action run) in benchmarks.Where(b => Wants(b.Name)))
{
    // Every row starts from a collected heap, so garbage of the previous row is not billed to it.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    run();
}

report.Print();
