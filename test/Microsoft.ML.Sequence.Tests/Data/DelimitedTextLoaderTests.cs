using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data;

[TestClass]
public sealed class DelimitedTextLoaderTests
{
    private static readonly LoaderColumn[] Sst2Columns =
    [
        new("Label", BooleanColumnType.Instance, HeaderNames: ["label"]),
        new("Text", TextColumnType.Instance, HeaderNames: ["sentence", "content"]),
    ];

    private static readonly DelimitedTextOptions Header = new() { HasHeader = true };

    public sealed class SentimentRow
    {
        [SequenceColumn(SourceIndex = 0)]
        public string Text { get; set; } = "";

        [SequenceColumn(SourceIndex = 1)]
        public bool Label { get; set; }
    }

    private static (int Rows, int Positive) Count(ISequenceDataView view)
    {
        int rows = 0, positive = 0;
        using DataCursor cursor = view.GetCursor();
        while (cursor.MoveNext())
        {
            rows++;
            positive += cursor.GetValue<bool>("Label") ? 1 : 0;
            Assert.IsFalse(string.IsNullOrEmpty(cursor.GetValue<string>("Text")));
        }

        return (rows, positive);
    }

    [TestMethod]
    public void ReadsSst2TrainAndDevWithTheirTwoHeaderSpellings()
    {
        (int trainRows, int trainPositive) = Count(DelimitedTextLoader.Load(TestData.PathOf("sst2/train.tsv"), Sst2Columns, Header));
        Assert.AreEqual(67349, trainRows);
        Assert.IsTrue(trainPositive > 30000 && trainPositive < 40000, $"positives: {trainPositive}");
        (int devRows, _) = Count(DelimitedTextLoader.Load(TestData.PathOf("sst2/dev.tsv"), Sst2Columns, Header));
        Assert.AreEqual(872, devRows);
    }

    [TestMethod]
    public void ReadsTheUciSentencesThroughRowClassAttributes()
    {
        foreach (string name in new[] { "yelp_labelled.txt", "imdb_labelled.txt", "amazon_cells_labelled.txt" })
        {
            ISequenceDataView view = DelimitedTextLoader.Load<SentimentRow>(TestData.PathOf("sentiment/" + name));
            List<SentimentRow> rows = SequenceDataView.ToEnumerable<SentimentRow>(view).ToList();
            Assert.HasCount(1000, rows, name);
            Assert.AreEqual(500, rows.Count(r => r.Label), name);
        }

        SentimentRow first = SequenceDataView.ToEnumerable<SentimentRow>(
            DelimitedTextLoader.Load<SentimentRow>(TestData.PathOf("sentiment/yelp_labelled.txt"))).First();
        Assert.AreEqual("Wow... Loved this place.", first.Text);
        Assert.IsTrue(first.Label);
    }

    [TestMethod]
    public void ReadsQuotedCsv()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("q.csv", "id,text\n1,\"a, \"\"quoted\"\" b\"\n2,plain\n");
        ISequenceDataView view = DelimitedTextLoader.Load(path,
            [new LoaderColumn("Id", NumberColumnType.Int64, HeaderNames: ["id"]), new LoaderColumn("Text", TextColumnType.Instance, HeaderNames: ["text"])],
            new DelimitedTextOptions { Separator = ',', HasHeader = true, AllowQuoting = true });
        using DataCursor cursor = view.GetCursor();
        Assert.IsTrue(cursor.MoveNext());
        Assert.AreEqual("a, \"quoted\" b", cursor.GetValue<string>("Text"));
        Assert.IsTrue(cursor.MoveNext());
        Assert.AreEqual(2L, cursor.GetValue<long>("Id"));
        Assert.IsFalse(cursor.MoveNext());
    }

    private static void AssertNames(Exception e, string path, int line, string column)
    {
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, $"line {line},");
        StringAssert.Contains(e.Message, column);
    }

    private static DataFormatException ReadAll(string path, IEnumerable<LoaderColumn> columns, DelimitedTextOptions? options = null) =>
        Assert.ThrowsExactly<DataFormatException>(() => SequenceDataView.Cache(DelimitedTextLoader.Load(path, columns, options)));

    [TestMethod]
    public void RaggedRowNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("ragged.tsv", "label\tsentence\n1\tgood\n0\n1\tfine\n");
        DataFormatException e = ReadAll(path, Sst2Columns, Header);
        AssertNames(e, path, 3, "column \"Text\"");
        StringAssert.Contains(e.Message, "ragged");
    }

    [TestMethod]
    public void NonNumberInNumericColumnNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("numbers.tsv", "1.5\ta\n2.5\tb\nabc\tc\n");
        DataFormatException e = ReadAll(path,
            [new LoaderColumn("Value", NumberColumnType.Float32, 0), new LoaderColumn("Text", TextColumnType.Instance, 1)]);
        AssertNames(e, path, 3, "column \"Value\"");
        StringAssert.Contains(e.Message, "'abc' is not a number");
    }

    [TestMethod]
    public void EmptyNumericValueIsReported()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("train.tsv", "label\tsentence\n1\tgood\n\tbad\n");
        DataFormatException e = ReadAll(path, Sst2Columns, Header);
        Assert.AreEqual($"{path} line 3, column \"Label\": empty value", e.Message);
    }

    [TestMethod]
    public void MissingHeaderColumnNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("header.tsv", "label\ttext\n1\tgood\n");
        var e = Assert.ThrowsExactly<DataFormatException>(() => DelimitedTextLoader.Load(path, Sst2Columns, Header));
        AssertNames(e, path, 1, "column \"Text\"");
        StringAssert.Contains(e.Message, "\"sentence\" or \"content\"");
    }

    [TestMethod]
    public void EmptyFileNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("empty.tsv", "");
        var e = Assert.ThrowsExactly<DataFormatException>(() => DelimitedTextLoader.Load(path, Sst2Columns, Header));
        AssertNames(e, path, 1, "column \"Label\"");
        StringAssert.Contains(e.Message, "empty");
    }

    [TestMethod]
    public void InvalidUtf8NamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [.. "label\tsentence\n1\tgood\n0\tba"u8, 0xC3, 0x28, .. "d\n"u8];
        string path = dir.WriteBytes("utf8.tsv", bytes);
        DataFormatException e = ReadAll(path, Sst2Columns, Header);
        AssertNames(e, path, 3, "column \"Text\"");
        StringAssert.Contains(e.Message, "UTF-8");
    }
}
