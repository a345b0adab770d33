using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.ML.Sequence.Data.Transforms;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Data pipeline rows: SST-2 loader throughput into key vectors, the length-bucketing padding ratio (the same
/// measurement as the unit test), and Python reading one tensor of a saved model with a 20-line safetensors reader.</summary>
internal static class DataPipelineBenchmark
{
    private const int Warmups = 1;

    public static void Run(Report report)
    {
        int repetitions = BenchmarkRun.Count(5, 1);
        string path = DataLocator.GetPath("sst2/train.tsv");
        ISequenceDataView text = DelimitedTextLoader.Load(path,
            [new LoaderColumn("Label", BooleanColumnType.Instance, HeaderNames: ["label"]), new LoaderColumn("Text", TextColumnType.Instance, HeaderNames: ["sentence"])],
            new DelimitedTextOptions { HasHeader = true });
        var model = new TokenizeWordsTransform(new TokenizeWordsOptions())
            .Append(new MapValueToKeyEstimator(new MapValueToKeyOptions())).Fit(text);

        // Loader throughput: read the file, tokenise on white space, map to keys (vocabulary already fitted).
        var rates = new List<double>();
        List<int> lengths = [];
        for (int rep = 0; rep < Warmups + repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            lengths = ReadLengths(model.Transform(text));
            double seconds = watch.Elapsed.TotalSeconds;
            if (rep >= Warmups)
            {
                rates.Add(lengths.Count / seconds);
            }
        }

        Timing throughput = Timing.Of(rates);
        report.AddRow("sst2 train → token key vectors", "ours", throughput, "rows/s", $"{lengths.Count:N0} rows, file read + tokenise + map");
        report.AddMetric("sst2_loader_rows_per_second", throughput.Median);

        // Padding: default batcher, batch 64, seed 42, epoch 0, every batch counted including the last.
        var plans = new List<double>();
        PaddingStatistics stats = null!;
        var batcher = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = 64 }, seed: 42);
        for (int rep = 0; rep < Warmups + repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            IReadOnlyList<int[]> batches = batcher.GetBatches(0);
            double ms = watch.Elapsed.TotalMilliseconds;
            stats = PaddingStatistics.Measure(batches, lengths);
            if (rep >= Warmups)
            {
                plans.Add(ms);
            }
        }

        report.AddRow("sst2 bucket plan, batch 64", "ours", Timing.Of(plans), "ms/epoch",
            $"padding {stats.PaddingCells:N0} of {stats.Cells:N0} cells = {stats.PaddingRatio:F4}");
        report.AddMetric("sst2_bucket_padding_ratio", stats.PaddingRatio);

        PythonReadsSavedTensor(report, model, text.Schema);
    }

    private static List<int> ReadLengths(ISequenceDataView view)
    {
        var lengths = new List<int>(70_000);
        int column = view.Schema.IndexOf("TokenKeys");
        using DataCursor cursor = view.GetCursor();
        while (cursor.MoveNext())
        {
            lengths.Add(cursor.GetValue<long[]>(column).Length);
        }

        return lengths;
    }

    private static void PythonReadsSavedTensor(Report report, SequenceTransformerChain<MapValueToKeyTransformer> text, SequenceSchema schema)
    {
        long rows = text.LastTransformer.Vocabulary.EmbeddingRows;
        using var generator = new Generator(7);
        using var component = new BenchEmbeddingComponent(torch.randn([rows, 16], generator: generator));
        string file = Path.Combine(Path.GetTempPath(), $"mls-bench-{Guid.NewGuid():N}.zip");
        try
        {
            ModelArchive.Save(new SequenceTransformerChain<BenchEmbeddingComponent>([.. text, component]), schema, file);
            string script = Path.Combine(AppContext.BaseDirectory, "python", "read_safetensors.py");
            var watch = Stopwatch.StartNew();
            var start = new ProcessStartInfo("/usr/bin/python3", [script, file, "2.weight"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            double seconds = watch.Elapsed.TotalSeconds;
            JsonNode reply = JsonNode.Parse(output) ?? throw new InvalidOperationException("no output from read_safetensors.py");
            float[] ours = component.Weight.data<float>().ToArray();
            double[] theirs = reply["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            long[] shape = reply["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
            bool equal = process.ExitCode == 0 && shape.SequenceEqual(new[] { rows, 16L }) &&
                theirs.Length == ours.Length && ours.Zip(theirs).All(p => (double)p.First == p.Second);
            report.AddRow("python reads model tensor", "pytorch", Timing.Of([seconds]), "s",
                $"{(equal ? "equal" : "DIFFERENT")}: [{string.Join(", ", shape)}] {reply["dtype"]}, 2.weight from weights.safetensors");
            report.AddMetric("safetensors_python_read_equal", equal ? 1 : 0);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
