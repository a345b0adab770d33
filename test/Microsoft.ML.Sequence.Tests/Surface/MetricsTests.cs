using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

[TestClass]
public sealed class MetricsTests
{
    private sealed class AccuracyMetrics : SequenceMetrics
    {
        public AccuracyMetrics(ClassConfusionTable table)
        {
            Table = table;
        }

        public ClassConfusionTable Table { get; }

        public override IReadOnlyList<MetricEntry> GetEntries() => [new MetricEntry("Accuracy", Table.Accuracy, true)];

        public override IReadOnlyList<PerClassValues> GetPerClassValues() => [Table.Precision, Table.Recall];
    }

    [TestMethod]
    public void ConfusionTableCountsAndPrintsItself()
    {
        var table = ClassConfusionTable.FromPairs(["negative", "positive"], [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
        Assert.AreEqual(5L, table.Total);
        Assert.AreEqual(1L, table.GetCount(0, 1));
        Assert.AreEqual(0.6, table.Accuracy, 1e-12);
        Assert.AreEqual(2.0 / 3, table.Recall["positive"], 1e-12);
        Assert.AreEqual(0.5, table.Precision[0], 1e-12);
        string text = table.ToString();
        StringAssert.Contains(text, "negative");
        StringAssert.Contains(text, "Precision");
        StringAssert.Contains(text, "0.6667");

        string metrics = new AccuracyMetrics(table).ToString();
        StringAssert.Contains(metrics, "Accuracy");
        StringAssert.Contains(metrics, "0.6000");
        StringAssert.Contains(metrics, "positive");
        Assert.ThrowsExactly<ArgumentException>(() => new PerClassValues("Recall", ["a"], [1.0, 2.0]));
    }
}
