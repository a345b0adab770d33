using Microsoft.ML.Sequence.Benchmarks;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;

// End-to-end benchmarks against PyTorch 1.13 (Debian's python3-torch), run by build/bench.sh. Prints a table, then
// METRIC lines. Usage: Microsoft.ML.Sequence.Benchmarks [--quick] [--threads N]
//     [all | lstm-step | mixed-length | data-pipeline | sst2-classifier | ewt-tagger | ctc | ctc-decoding | captioning]...
var selected = new List<string>();
int threads = Math.Max(1, Environment.ProcessorCount);
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": BenchmarkRun.Quick = true; break;
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n >= 1: threads = n; i++; break;
        default: selected.Add(args[i]); break;
    }
}

string[] known = ["all", "lstm-step", "mixed-length", "data-pipeline", "sst2-classifier", "ewt-tagger", "ctc", "ctc-decoding", "captioning"];
if (selected.Count == 0)
{
    selected.Add("all");
}

if (selected.FirstOrDefault(s => !known.Contains(s)) is string unknown)
{
    Console.Error.WriteLine($"unknown row '{unknown}'; rows: {string.Join(", ", known)}; options: --quick, --threads N");
    return 2;
}

bool Wants(string name) => selected.Contains("all") || selected.Contains(name);

// Each side on its fastest setting for n cores. libtorch 2.10 (ours): n intra-op threads, OpenMP and MKL together.
// PyTorch 1.13 (Debian): 1 intra-op thread and n OpenBLAS threads — its OpenMP pool and OpenBLAS's own threads
// multiply, and two pools of 2 on 2 cores made its LSTM step about 5x slower (measured in the first release, and again
// here: 655 ms against 137 ms per step), which would flatter us.
TorchThreads.Set(threads);
using var python = new PythonWorker();
var pyThreads = python.Request(new { command = "threads", intra = 1, blas = threads });
Console.WriteLine($"threads: ours torch.set_num_threads({threads}) -> {torch.get_num_threads()} (OpenMP + MKL, libtorch 2.10 via TorchSharp 0.107); " +
    $"pytorch {python.Request(new { command = "version" })["torch"]} torch.set_num_threads(1) -> intra-op {pyThreads["intra"]}, " +
    $"openblas_set_num_threads({threads}) -> {pyThreads["blas"]} ({pyThreads["blas_library"]}); " +
    $"{Environment.ProcessorCount} cores{(BenchmarkRun.Quick ? "; QUICK mode: few repetitions, figures not for comparison" : "")}");

if (pyThreads["blas"]!.GetValue<int>() == 0)
{
    Console.WriteLine("warning: the PyTorch side runs without OpenBLAS (Debian's reference BLAS is much slower); install libopenblas0-pthread");
}

var report = new Report();
(string Name, Action Run)[] benchmarks =
[
    ("lstm-step", () => LstmStepBenchmark.Run(python, report)),
    ("mixed-length", () => MixedLengthBenchmark.Run(python, report)),
    ("data-pipeline", () => DataPipelineBenchmark.Run(report)),
    ("sst2-classifier", () => Sst2ClassifierBenchmark.Run(python, report)),
    ("ewt-tagger", () => EwtTaggerBenchmark.Run(python, report)),
    ("ctc", () => CtcRecognizerBenchmark.Run(python, report)),
    ("ctc-decoding", () => CtcDecodingBenchmark.Run(report)),
    ("captioning", () => CaptioningBenchmark.Run(python, report)),
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
return 0;
