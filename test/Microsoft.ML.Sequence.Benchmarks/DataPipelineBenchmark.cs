using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Data pipeline rows: SST-2 train read by ML.NET's loader into token key vectors (<c>LoadFromTextFile</c>,
/// <c>TokenizeIntoWords</c>, <c>MapValueToKey</c>, the inputs our trainers read), and the length-bucketing padding ratio
/// over those lengths (the same measurement as the unit test).</summary>
internal static class DataPipelineBenchmark
{
    private const int Warmups = 1;

    public static void Run(Report report)
    {
        int repetitions = BenchmarkRun.Count(5, 1);
        var ml = new MLContext(seed: 1);
        IDataView text = ml.Data.LoadFromTextFile<Sentence>(DataLocator.GetPath("sst2/train.tsv"), '\t', hasHeader: true, allowQuoting: false);
        ITransformer model = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Sentence.Text))
            .Append(ml.Transforms.Conversion.MapValueToKey("TokenKeys", "Tokens")).Fit(text);

        // Loader throughput: read the file, tokenise on white space, map to keys (vocabulary already fitted).
        var rates = new List<double>();
        List<int> lengths = [];
        for (int rep = 0; rep < Warmups + repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            lengths = LengthBucketBatcher.FromColumn(model.Transform(text), "TokenKeys", null, seed: 42).Lengths.ToList();
            double seconds = watch.Elapsed.TotalSeconds;
            if (rep >= Warmups)
            {
                rates.Add(lengths.Count / seconds);
            }
        }

        Timing throughput = Timing.Of(rates);
        report.AddRow("sst2 train → token key vectors (ML.NET)", "ml.net", throughput, "rows/s",
            $"{lengths.Count:N0} rows, LoadFromTextFile + TokenizeIntoWords + MapValueToKey");
        report.AddMetric("sst2_mlnet_loader_rows_per_second", throughput.Median);

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
    }

    /// <summary>An SST-2 row as the files hold it: label, then sentence.</summary>
    private sealed class Sentence
    {
        [LoadColumn(0)]
        public bool Label { get; set; }

        [LoadColumn(1)]
        public string Text { get; set; } = "";
    }
}
