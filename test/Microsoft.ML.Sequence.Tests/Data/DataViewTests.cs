using Microsoft.ML.Sequence.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data;

[TestClass]
public sealed class DataViewTests
{
    public sealed class Row
    {
        public string Text { get; set; } = "";

        public bool Flag { get; set; }

        public int Count { get; set; }

        public float Weight { get; set; }

        public double Score { get; set; }

        public string[] Tokens { get; set; } = [];

        [KeyColumn(5)]
        public long[] Keys { get; set; } = [];

        [KeyColumn(3)]
        public long Label { get; set; }

        [SequenceColumn(Size = 3)]
        public float[] Features { get; set; } = new float[3];

        [SequenceColumn("Renamed")]
        public long Id { get; set; }

        [IgnoreColumn]
        public string Ignored { get; set; } = "x";
    }

    private static List<Row> Rows() => Enumerable.Range(0, 20).Select(i => new Row
    {
        Text = $"row {i}",
        Flag = i % 2 == 0,
        Count = i,
        Weight = i / 4f,
        Score = i * 1.5,
        Tokens = Enumerable.Range(0, i % 4).Select(t => $"t{t}").ToArray(),
        Keys = Enumerable.Range(0, i % 3).Select(k => (long)(k + 1)).ToArray(),
        Label = i % 4,
        Features = [i, i + 1, i + 2],
        Id = 1000 + i,
    }).ToList();

    [TestMethod]
    public void SchemaFollowsConventionAndAttributes()
    {
        SequenceSchema schema = SequenceDataView.SchemaOf<Row>();
        CollectionAssert.AreEqual(
            new[] { "Text", "Flag", "Count", "Weight", "Score", "Tokens", "Keys", "Label", "Features", "Renamed" },
            schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(TextColumnType.Instance, schema["Text"].Type);
        Assert.AreEqual(BooleanColumnType.Instance, schema["Flag"].Type);
        Assert.AreEqual(NumberColumnType.Int32, schema["Count"].Type);
        Assert.AreEqual(NumberColumnType.Float64, schema["Score"].Type);
        Assert.AreEqual(new VectorColumnType(TextColumnType.Instance), schema["Tokens"].Type);
        Assert.AreEqual("Vector<Key[1..5]>", schema["Keys"].Type.ToString());
        Assert.AreEqual(new KeyColumnType(3), schema["Label"].Type);
        Assert.AreEqual(new VectorColumnType(NumberColumnType.Float32, 3), schema["Features"].Type);
    }

    [TestMethod]
    public void PocoToViewToPocoRoundTrips()
    {
        List<Row> rows = Rows();
        foreach (ISequenceDataView view in new[] { SequenceDataView.FromEnumerable(rows), SequenceDataView.Cache(SequenceDataView.FromEnumerable(rows)) })
        {
            Assert.AreEqual(20L, view.RowCount);
            List<Row> back = SequenceDataView.ToEnumerable<Row>(view).ToList();
            Assert.HasCount(rows.Count, back);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.AreEqual(rows[i].Text, back[i].Text);
                Assert.AreEqual(rows[i].Flag, back[i].Flag);
                Assert.AreEqual(rows[i].Count, back[i].Count);
                Assert.AreEqual(rows[i].Weight, back[i].Weight);
                Assert.AreEqual(rows[i].Score, back[i].Score);
                CollectionAssert.AreEqual(rows[i].Tokens, back[i].Tokens);
                CollectionAssert.AreEqual(rows[i].Keys, back[i].Keys);
                Assert.AreEqual(rows[i].Label, back[i].Label);
                CollectionAssert.AreEqual(rows[i].Features, back[i].Features);
                Assert.AreEqual(rows[i].Id, back[i].Id);
                Assert.AreEqual("x", back[i].Ignored);
            }
        }
    }

    [TestMethod]
    public void ShuffledCursorsAreDeterministicPermutations()
    {
        ISequenceDataView view = SequenceDataView.Cache(SequenceDataView.FromEnumerable(Rows()));
        Assert.IsTrue(view.CanShuffle);
        List<int> First(int seed)
        {
            var order = new List<int>();
            using DataCursor cursor = view.GetCursor(seed);
            while (cursor.MoveNext())
            {
                order.Add(cursor.GetValue<int>("Count"));
            }

            return order;
        }

        CollectionAssert.AreEqual(First(7), First(7));
        CollectionAssert.AreNotEqual(First(7), First(8));
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 20).ToList(), First(7));
    }

    [TestMethod]
    public void WrongTypeAndMissingColumnsFailWithNames()
    {
        ISequenceDataView view = SequenceDataView.FromEnumerable(Rows());
        using DataCursor cursor = view.GetCursor();
        Assert.IsTrue(cursor.MoveNext());
        var wrongType = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetValue<long>("Count"));
        StringAssert.Contains(wrongType.Message, "\"Count\"");
        var missing = Assert.ThrowsExactly<KeyNotFoundException>(() => cursor.GetValue<int>("Nope"));
        StringAssert.Contains(missing.Message, "\"Nope\"");
    }

    [TestMethod]
    public void TakeSplitAndShuffleKeepRows()
    {
        ISequenceDataView view = SequenceDataView.FromEnumerable(Rows());
        Assert.HasCount(5, SequenceDataView.ToEnumerable<Row>(SequenceDataView.Take(view, 5)).ToList());
        TrainTestViews split = SequenceDataView.TrainTestSplit(view, 0.25, seed: 3);
        Assert.AreEqual(15L, split.TrainSet.RowCount);
        Assert.AreEqual(5L, split.TestSet.RowCount);
        var ids = SequenceDataView.ToEnumerable<Row>(split.TrainSet).Concat(SequenceDataView.ToEnumerable<Row>(split.TestSet))
            .Select(r => r.Id).Order().ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1000, 20).Select(i => (long)i).ToList(), ids);
        var shuffled = SequenceDataView.ToEnumerable<Row>(SequenceDataView.Shuffle(view, 1)).Select(r => r.Id).ToList();
        CollectionAssert.AreEquivalent(ids, shuffled);
        CollectionAssert.AreNotEqual(ids, shuffled);
    }
}
