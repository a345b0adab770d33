using Microsoft.ML.Sequence.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary>The classification evaluator against cases computed by hand.</summary>
[TestClass]
public sealed class TextClassificationMetricsTests
{
    private static readonly string[] Abc = ["a", "b", "c"];

    [TestMethod]
    public void ConfusionTablePerClassValuesAndAveragesMatchHandCounts()
    {
        // actual:    a a b b c c c
        // predicted: a b b b c a c
        int[] actual = [0, 0, 1, 1, 2, 2, 2];
        int[] predicted = [0, 1, 1, 1, 2, 0, 2];
        float[][] scores = predicted.Select(p => Enumerable.Range(0, 3).Select(c => c == p ? 0.6f : 0.2f).ToArray()).ToArray();
        TextClassificationMetrics m = TextClassificationMetrics.Compute(Abc, actual, scores);
        Assert.AreEqual(1, m.ConfusionTable.GetCount(0, 0));
        Assert.AreEqual(1, m.ConfusionTable.GetCount(0, 1));
        Assert.AreEqual(2, m.ConfusionTable.GetCount(1, 1));
        Assert.AreEqual(1, m.ConfusionTable.GetCount(2, 0));
        Assert.AreEqual(2, m.ConfusionTable.GetCount(2, 2));
        Assert.AreEqual(5 / 7.0, m.MicroAccuracy, 1e-12);
        Assert.AreEqual((0.5 + 1 + 2 / 3.0) / 3, m.MacroAccuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { 0.5, 2 / 3.0, 1.0 }, m.PerClassPrecision.ToArray(), new Tolerance());
        CollectionAssert.AreEqual(new[] { 0.5, 1.0, 2 / 3.0 }, m.PerClassRecall.ToArray(), new Tolerance());
        CollectionAssert.AreEqual(new[] { 0.5, 0.8, 0.8 }, m.PerClassF1.ToArray(), new Tolerance());
        Assert.AreEqual(0.7, m.MacroF1, 1e-12);
        Assert.AreEqual(-(2 * Math.Log(0.2) + 5 * Math.Log(0.6)) / 7, m.LogLoss, 1e-6);
        Assert.IsNull(m.Auc, "no AUC for three classes");
        StringAssert.Contains(m.ToString(), "MacroF1");
        StringAssert.Contains(m.ToString(), "actual \\ predicted");
    }

    [TestMethod]
    public void AucCountsTiedScoresAsOneHalf()
    {
        // positives 0.9, 0.5, 0.5; negatives 0.5, 0.1: of 6 pairs, 4 are won and 2 tied → (4 + 2 × 0.5) / 6.
        double? auc = TextClassificationMetrics.AreaUnderCurve([0.9, 0.5, 0.5, 0.5, 0.1], [true, true, true, false, false]);
        Assert.AreEqual(5 / 6.0, auc!.Value, 1e-12);
        Assert.AreEqual(0.5, TextClassificationMetrics.AreaUnderCurve([0.3, 0.3, 0.3, 0.3], [true, false, true, false])!.Value, 1e-12);
        Assert.AreEqual(0.0, TextClassificationMetrics.AreaUnderCurve([0.1, 0.9], [true, false])!.Value, 1e-12);
        Assert.IsNull(TextClassificationMetrics.AreaUnderCurve([0.1, 0.9], [true, true]), "undefined with one class");
    }

    [TestMethod]
    public void LogLossClipsZeroProbabilitiesAtOneInTenToTheFifteen()
    {
        float[][] scores = [[0.2f, 0.8f], [0.5f, 0.5f], [1f, 0f]];
        TextClassificationMetrics m = TextClassificationMetrics.Compute(["0", "1"], [1, 1, 1], scores, positiveClass: 1);
        double expected = -(Math.Log(0.8f) + Math.Log(0.5) + Math.Log(1e-15)) / 3;
        Assert.AreEqual(expected, m.LogLoss, 1e-9);
        Assert.AreEqual(11.8183, m.LogLoss, 1e-3);
        Assert.IsNull(m.Auc, "all rows positive");
    }

    [TestMethod]
    public void EvaluateReadsAModelsColumnsAndUsesProbabilityForAuc()
    {
        var classes = new Vocabulary(["false", "true"]);
        var schema = new SequenceSchema([
            new SchemaColumn("Label", BooleanColumnType.Instance),
            new SchemaColumn("PredictedLabel", new KeyColumnType(classes)),
            new SchemaColumn("Score", new VectorColumnType(NumberColumnType.Float32, 2)),
            new SchemaColumn("Probability", NumberColumnType.Float32)]);
        float[] p = [0.9f, 0.5f, 0.5f, 0.5f, 0.1f];
        bool[] labels = [true, true, true, false, false];
        ISequenceDataView view = SequenceDataView.FromColumns(schema, [
            labels,
            p.Select(x => x > 0.5f ? 2L : 1L).ToArray(),
            p.Select(x => new[] { 1 - x, x }).ToArray(),
            p]);
        TextClassificationMetrics m = new SequenceContext(seed: 1).TextClassification.Evaluate(view);
        Assert.AreEqual(5 / 6.0, m.Auc!.Value, 1e-12);
        Assert.AreEqual(3 / 5.0, m.MicroAccuracy, 1e-12, "0.5 predicts false: rows 2 and 3 are wrong");
        Assert.AreEqual(2, m.ConfusionTable.GetCount(0, 0));
        Assert.AreEqual(2, m.ConfusionTable.GetCount(1, 0));
        Assert.AreEqual(1, m.ConfusionTable.GetCount(1, 1));
        CollectionAssert.AreEqual(new[] { "false", "true" }, m.ClassNames.ToArray());
    }

    [TestMethod]
    public void EvaluateNamesAMissingColumnAndAnUnknownLabel()
    {
        var context = new SequenceContext(seed: 1);
        var classes = new Vocabulary(["neg", "pos"]);
        var schema = new SequenceSchema([
            new SchemaColumn("Label", TextColumnType.Instance),
            new SchemaColumn("PredictedLabel", new KeyColumnType(classes)),
            new SchemaColumn("Score", new VectorColumnType(NumberColumnType.Float32, 2))]);
        ISequenceDataView view = SequenceDataView.FromColumns(schema, [new[] { "pos", "meh" }, new[] { 2L, 1L }, new[] { new[] { 0.1f, 0.9f }, new[] { 0.6f, 0.4f } }]);
        var missing = Assert.ThrowsExactly<ArgumentException>(() => context.TextClassification.Evaluate(view, scoreColumnName: "Scores"));
        StringAssert.Contains(missing.Message, "no score column \"Scores\"");
        var unknown = Assert.ThrowsExactly<ArgumentException>(() => context.TextClassification.Evaluate(view, positiveClass: "pos"));
        StringAssert.Contains(unknown.Message, "Row 1: label \"meh\"");
    }

    [TestMethod]
    public void MetricsHavePublicConstructorsForCustomEvaluators()
    {
        var table = new ClassConfusionTable(["x", "y"], new long[,] { { 3, 1 }, { 0, 4 } });
        var m = new TextClassificationMetrics(table, logLoss: 0.25, auc: 0.9);
        Assert.AreEqual(7 / 8.0, m.MicroAccuracy, 1e-12);
        Assert.AreEqual((0.75 + 1) / 2, m.MacroAccuracy, 1e-12);
        Assert.AreEqual(8, m.RowCount);
        Assert.HasCount(5, m.GetEntries());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TextClassificationMetrics(table, 0.25, 1.5));
    }

    private sealed class Tolerance : System.Collections.IComparer
    {
        public int Compare(object? x, object? y) => Math.Abs((double)x! - (double)y!) < 1e-12 ? 0 : 1;
    }
}
