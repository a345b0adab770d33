using System.Diagnostics;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data;

[TestClass]
public sealed class LengthBucketBatcherTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Token counts of SST-2 train through ML.NET (TokenizeIntoWords, MapValueToKey), read by
    /// <see cref="LengthBucketBatcher.FromColumn"/>.</summary>
    private static List<int> Sst2TokenCounts()
    {
        var ml = new MLContext(seed: 1);
        IDataView text = Microsoft.ML.Sequence.Tests.Support.SentimentData.Sst2(ml, "train.tsv");
        IDataView keys = ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text")
            .Append(ml.Transforms.Conversion.MapValueToKey("TokenKeys", "Tokens")).Fit(text).Transform(text);
        return LengthBucketBatcher.FromColumn(keys, "TokenKeys", null, seed: 1).Lengths.ToList();
    }

    [TestMethod]
    public void Sst2TrainBucketsWithLittlePaddingAndFreshUnsortedOrderEachEpoch()
    {
        var clock = Stopwatch.StartNew();
        List<int> lengths = Sst2TokenCounts();
        Assert.HasCount(67349, lengths);
        var batcher = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = 64 }, seed: 42);
        IReadOnlyList<int[]> epoch0 = batcher.GetBatches(0);
        IReadOnlyList<int[]> epoch1 = batcher.GetBatches(1);

        foreach (IReadOnlyList<int[]> epoch in new[] { epoch0, epoch1 })
        {
            CollectionAssert.AreEquivalent(Enumerable.Range(0, lengths.Count).ToList(), epoch.SelectMany(b => b).ToList());
            Assert.AreEqual((67349 + 63) / 64, epoch.Count);
        }

        PaddingStatistics stats = PaddingStatistics.Measure(epoch0, lengths);
        Assert.AreEqual(67349L, stats.RowCount);
        Assert.IsLessThanOrEqualTo(0.10, stats.PaddingRatio, $"padding ratio {stats.PaddingRatio}");

        var first = epoch0.Select(Signature).ToHashSet();
        double differing = epoch1.Count(b => !first.Contains(Signature(b))) / (double)epoch1.Count;
        Assert.IsGreaterThanOrEqualTo(0.90, differing, $"batches differing between epochs: {differing}");

        double rho = Spearman(Enumerable.Range(0, epoch0.Count).Select(i => (double)i).ToArray(),
            epoch0.Select(b => (double)b.Max(r => lengths[r])).ToArray());
        Assert.IsLessThan(0.1, Math.Abs(rho), $"Spearman rho {rho}");
        TestContext.WriteLine($"sst2 padding ratio {stats.PaddingRatio:F4}, batches differing {differing:F4}, rho {rho:F4}, {clock.Elapsed.TotalSeconds:F1} s");
    }

    [TestMethod]
    public void SameSeedSameBatchesAndDropLast()
    {
        int[] lengths = Enumerable.Range(0, 100).Select(i => i % 7).ToArray();
        var a = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = 8, PoolBatches = 2 }, 5).GetBatches(3);
        var b = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = 8, PoolBatches = 2 }, 5).GetBatches(3);
        CollectionAssert.AreEqual(a.Select(Signature).ToList(), b.Select(Signature).ToList());
        var dropped = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = 8, DropLast = true }, 5).GetBatches(0);
        Assert.HasCount(12, dropped);
        Assert.IsTrue(dropped.All(x => x.Length == 8));

        PaddedKeyBatch batch = PaddedKeyBatch.Create([[1, 2, 3], [4], []], [0, 1, 2]);
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 0, 0, 0, 0, 0 }, batch.Keys.ToArray());
        CollectionAssert.AreEqual(new long[] { 3, 1, 0 }, batch.Lengths.ToArray());
    }

    private static string Signature(int[] batch) => string.Join(",", batch.Order());

    private static double Spearman(double[] x, double[] y)
    {
        double[] rx = Ranks(x), ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] values)
    {
        int[] order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }
}
