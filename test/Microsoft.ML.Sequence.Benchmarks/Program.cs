using Microsoft.ML.Sequence.Benchmarks;
using Microsoft.ML.Sequence.Torch;

// End-to-end benchmarks against PyTorch on the same libtorch, run by build/bench.sh. Prints a table, then METRIC lines.
// Usage: Microsoft.ML.Sequence.Benchmarks [all | lstm-step | mixed-length | data-pipeline | op-overhead | sst2-classifier | ewt-tagger]...
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
if (Wants("lstm-step"))
{
    LstmStepBenchmark.Run(python, report);
}

if (Wants("mixed-length"))
{
    MixedLengthBenchmark.Run(python, report);
}

if (Wants("data-pipeline"))
{
    DataPipelineBenchmark.Run(report);
}

if (Wants("op-overhead"))
{
    OpOverheadBenchmark.Run(python, report);
}

if (Wants("sst2-classifier"))
{
    Sst2ClassifierBenchmark.Run(python, report);
}

if (Wants("ewt-tagger"))
{
    EwtTaggerBenchmark.Run(python, report);
}

report.Print();
