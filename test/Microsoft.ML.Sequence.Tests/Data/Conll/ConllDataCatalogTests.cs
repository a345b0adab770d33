using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Conll;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Conll;

[TestClass]
public sealed class ConllDataCatalogTests
{
    private const string Word1 = "1\tdo\tdo\tAUX\tVBP\tMood=Ind\t0\troot\t_\t_\n";
    private readonly MLContext _ml = new(seed: 1);

    private sealed class UdRow
    {
        public string[] Tokens { get; set; } = [];

        public string[] Lemmas { get; set; } = [];

        public string[] Upos { get; set; } = [];

        public string[] Xpos { get; set; } = [];

        public string[] Feats { get; set; } = [];

        public string[] Heads { get; set; } = [];

        public string[] DepRels { get; set; } = [];
    }

    private sealed class Conll03Row
    {
        public string[] Tokens { get; set; } = [];

        public string[] Pos { get; set; } = [];

        public string[] Chunk { get; set; } = [];

        public string[] Tags { get; set; } = [];
    }

    [TestMethod]
    public void EwtDevCountsMatchAnIndependentCountOfTheFile()
    {
        string path = TestData.PathOf("ud-english-ewt/en_ewt-ud-dev.conllu");

        // Independent count: sentences are runs of non-blank lines; words are lines whose ID is a plain integer.
        int expectedSentences = 0, expectedWords = 0;
        bool inSentence = false;
        var wordId = new Regex(@"^\d+\t", RegexOptions.CultureInvariant);
        foreach (string line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                inSentence = false;
                continue;
            }

            if (!inSentence)
            {
                expectedSentences++;
                inSentence = true;
            }

            expectedWords += wordId.IsMatch(line) ? 1 : 0;
        }

        IDataView view = _ml.Data.LoadFromConllU(path);
        int sentences = 0, words = 0;
        foreach (UdRow row in _ml.Data.CreateEnumerable<UdRow>(view, reuseRowObject: false))
        {
            sentences++;
            words += row.Tokens.Length;
            foreach (string[] column in new[] { row.Lemmas, row.Upos, row.Xpos, row.Feats, row.Heads, row.DepRels })
            {
                Assert.HasCount(row.Tokens.Length, column);
            }
        }

        Assert.AreEqual(2001, expectedSentences);
        Assert.AreEqual(expectedSentences, sentences);
        Assert.AreEqual(expectedWords, words);
    }

    [TestMethod]
    public void EwtTestHas2077SentencesAnd25094WordsAndTheFirstSentenceReadsRight()
    {
        IDataView view = _ml.Data.LoadFromConllU(TestData.PathOf("ud-english-ewt/en_ewt-ud-test.conllu"));
        List<UdRow> rows = _ml.Data.CreateEnumerable<UdRow>(view, reuseRowObject: false).ToList();
        Assert.HasCount(2077, rows);
        Assert.AreEqual(25094, rows.Sum(r => r.Tokens.Length));
        CollectionAssert.AreEqual(new[] { "What", "if", "Google", "Morphed", "Into", "GoogleOS", "?" }, rows[0].Tokens);
        CollectionAssert.AreEqual(new[] { "PRON", "SCONJ", "PROPN", "VERB", "ADP", "PROPN", "PUNCT" }, rows[0].Upos);
        Assert.AreEqual(rows[0].Tokens.Length, rows[0].Heads.Length);
    }

    [TestMethod]
    public void EwtTrainHas12544Sentences()
    {
        IDataView view = _ml.Data.LoadFromConllU(TestData.PathOf("ud-english-ewt/en_ewt-ud-train.conllu"));
        long count = 0;
        using DataViewRowCursor cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        Assert.AreEqual(12544L, count);
    }

    [TestMethod]
    public void ConllUSchemaHasSevenVariableLengthTextVectorColumns()
    {
        using var dir = new TempDirectory();
        IDataView view = _ml.Data.LoadFromConllU(dir.Write("a.conllu", Word1));
        CollectionAssert.AreEqual(new[] { "Tokens", "Lemmas", "Upos", "Xpos", "Feats", "Heads", "DepRels" },
            view.Schema.Select(c => c.Name).ToArray());
        foreach (DataViewSchema.Column column in view.Schema)
        {
            var type = column.Type as VectorDataViewType;
            Assert.IsNotNull(type, column.Name);
            Assert.AreEqual(TextDataViewType.Instance, type.ItemType);
            Assert.AreEqual(0, type.Size);
        }

        Assert.IsNull(view.GetRowCount());
        Assert.IsFalse(view.CanShuffle);
    }

    [TestMethod]
    public void SkipsCommentsRangesAndEmptyNodesAndReadsEveryField()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("a.conllu",
            "# text = don't\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" + Word1 +
            "2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n2.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\n\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_");
        List<UdRow> rows = _ml.Data.CreateEnumerable<UdRow>(_ml.Data.LoadFromConllU(path), reuseRowObject: false).ToList();
        Assert.HasCount(2, rows);
        CollectionAssert.AreEqual(new[] { "do", "n't" }, rows[0].Tokens);
        CollectionAssert.AreEqual(new[] { "do", "not" }, rows[0].Lemmas);
        CollectionAssert.AreEqual(new[] { "AUX", "PART" }, rows[0].Upos);
        CollectionAssert.AreEqual(new[] { "VBP", "RB" }, rows[0].Xpos);
        CollectionAssert.AreEqual(new[] { "Mood=Ind", "_" }, rows[0].Feats);
        CollectionAssert.AreEqual(new[] { "0", "1" }, rows[0].Heads);
        CollectionAssert.AreEqual(new[] { "root", "advmod" }, rows[0].DepRels);
        CollectionAssert.AreEqual(new[] { "INTJ" }, rows[1].Upos);
    }

    [TestMethod]
    public void CrLfEndingsAndAByteOrderMarkAreAccepted()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Word1.Replace("\n", "\r\n") + "\r\n" + Word1)];
        List<UdRow> rows = _ml.Data.CreateEnumerable<UdRow>(_ml.Data.LoadFromConllU(dir.WriteBytes("a.conllu", bytes)), false).ToList();
        Assert.HasCount(2, rows);
        CollectionAssert.AreEqual(new[] { "do" }, rows[0].Tokens);
        CollectionAssert.AreEqual(new[] { "root" }, rows[1].DepRels);
    }

    [TestMethod]
    public void ReadsWhitespaceConllWithNamedColumnsAndSkipsDocumentStarts()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("eng.train",
            "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects  VBZ\tB-VP O\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\n");
        IDataView view = _ml.Data.LoadFromConll(path, new ConllLoaderOptions { ColumnNames = ["Tokens", "Pos", "Chunk", "Tags"] });
        CollectionAssert.AreEqual(new[] { "Tokens", "Pos", "Chunk", "Tags" }, view.Schema.Select(c => c.Name).ToArray());
        List<Conll03Row> rows = _ml.Data.CreateEnumerable<Conll03Row>(view, reuseRowObject: false).ToList();
        Assert.HasCount(2, rows);
        CollectionAssert.AreEqual(new[] { "EU", "rejects" }, rows[0].Tokens);
        CollectionAssert.AreEqual(new[] { "NNP", "VBZ" }, rows[0].Pos);
        CollectionAssert.AreEqual(new[] { "B-NP", "B-VP" }, rows[0].Chunk);
        CollectionAssert.AreEqual(new[] { "B-ORG", "O" }, rows[0].Tags);
        CollectionAssert.AreEqual(new[] { "B-PER" }, rows[1].Tags);

        // The default options are CoNLL-2003's four columns.
        CollectionAssert.AreEqual(new[] { "Tokens", "Pos", "Chunk", "Tags" },
            _ml.Data.LoadFromConll(path).Schema.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void CommentPrefixNullReadsHashTokens()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("a.txt", "# NN O\nfive CD O\n");
        var options = new ConllLoaderOptions { ColumnNames = ["Tokens", "Pos", "Tags"], CommentPrefix = null };
        Assert.AreEqual(2, Tokens(_ml.Data.LoadFromConll(path, options)).Single().Length);
        options.CommentPrefix = "#";
        CollectionAssert.AreEqual(new[] { "five" }, Tokens(_ml.Data.LoadFromConll(path, options)).Single());
    }

    [TestMethod]
    public void OptionsAreCopiedAndValidated()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("a.txt", "EU B-ORG\n");
        var options = new ConllLoaderOptions { ColumnNames = ["Tokens", "Tags"] };
        IDataView view = _ml.Data.LoadFromConll(path, options);
        options.ColumnNames[1] = "Other";
        Assert.AreEqual("Tags", view.Schema[1].Name);

        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.LoadFromConll(path, new ConllLoaderOptions { ColumnNames = ["A", "A"] }));
        StringAssert.Contains(e.Message, "\"A\" twice");
        Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.LoadFromConll(path, new ConllLoaderOptions { ColumnNames = [] }));
        Assert.ThrowsExactly<ArgumentException>(() => _ml.Data.LoadFromConll(path, new ConllLoaderOptions { ColumnNames = ["A", " "] }));
    }

    [TestMethod]
    public void TooFewConllUFieldsNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("bad.conllu", Word1 + "\n# c\n1\tYo\n");
        var e = Assert.ThrowsExactly<DataFormatException>(() => Tokens(_ml.Data.LoadFromConllU(path)));
        Assert.AreEqual($"{path} line 4, column \"Lemmas\": the token line has 2 fields; CoNLL-U token lines have 10 tab-separated fields", e.Message);
        Assert.AreEqual(4L, e.LineNumber);

        string extra = dir.Write("extra.conllu", Word1.TrimEnd('\n') + "\tmore\n");
        var e2 = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConllU(extra));
        StringAssert.Contains(e2.Message, $"{extra} line 1, column field 11: the token line has 11 fields");
    }

    [TestMethod]
    public void RaggedWhitespaceRowsNameFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("ragged.txt", "EU NNP B-NP B-ORG\n\nrejects VBZ B-VP\n");
        var e = Assert.ThrowsExactly<DataFormatException>(() => Tokens(_ml.Data.LoadFromConll(path)));
        Assert.AreEqual($"{path} line 3, column \"Tags\": the token line has 3 fields; expected 4, one per column (Tokens, Pos, Chunk, Tags)", e.Message);

        string wide = dir.Write("wide.txt", "EU NNP B-NP B-ORG x\n");
        var e2 = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConll(wide));
        StringAssert.Contains(e2.Message, $"{wide} line 1, column field 5: the token line has 5 fields");
    }

    [TestMethod]
    public void WordIdsOutOfSequenceAndEmptyFieldsAreReported()
    {
        using var dir = new TempDirectory();
        // A missing blank line between two sentences shows up as an ID that restarts.
        string path = dir.Write("joined.conllu", Word1 + Word1);
        var e = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConllU(path));
        StringAssert.Contains(e.Message, $"{path} line 2, column field 1 (ID): the word ID is \"1\"; expected 2");

        string empty = dir.Write("empty-field.conllu", "1\tdo\t\tAUX\tVBP\t_\t0\troot\t_\t_\n");
        var e2 = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConllU(empty));
        StringAssert.Contains(e2.Message, $"{empty} line 1, column \"Lemmas\": empty value");
    }

    [TestMethod]
    public void ErrorsPastTheFirstSentenceSurfaceWhenACursorReachesThem()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("late.conllu", Word1 + "\n" + Word1 + "\n1\tYo\n");
        IDataView view = _ml.Data.LoadFromConllU(path);
        using DataViewRowCursor cursor = view.GetRowCursor(view.Schema);
        Assert.IsTrue(cursor.MoveNext());
        Assert.IsTrue(cursor.MoveNext());
        Assert.AreEqual(1L, cursor.Position);
        var e = Assert.ThrowsExactly<DataFormatException>(() => cursor.MoveNext());
        Assert.AreEqual(5L, e.LineNumber);
    }

    [TestMethod]
    public void InvalidUtf8EmptyAndMissingFilesAreReported()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(Word1), .. "2\tB"u8, 0xFF, .. "d\tb\tX\tX\t_\t1\tdep\t_\t_\n"u8];
        string path = dir.WriteBytes("bad.conllu", bytes);
        var e = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConllU(path));
        StringAssert.Contains(e.Message, $"{path} line 2, column \"Tokens\": invalid UTF-8");

        string empty = dir.Write("empty.conllu", "");
        var e2 = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConllU(empty));
        Assert.AreEqual($"{empty} line 1, column \"Tokens\": the file is empty", e2.Message);

        string blank = dir.Write("blank.txt", "-DOCSTART- -X- -X- O\n\n");
        var e3 = Assert.ThrowsExactly<DataFormatException>(() => _ml.Data.LoadFromConll(blank));
        StringAssert.Contains(e3.Message, $"{blank} line 2, column \"Tokens\": the file has no token lines");

        string missing = dir.File("missing.conllu");
        var e4 = Assert.ThrowsExactly<FileNotFoundException>(() => _ml.Data.LoadFromConllU(missing));
        StringAssert.Contains(e4.Message, missing);
    }

    [TestMethod]
    public void GettersCheckTheTypeTheColumnAndThePosition()
    {
        using var dir = new TempDirectory();
        IDataView view = _ml.Data.LoadFromConllU(dir.Write("a.conllu", Word1));
        using DataViewRowCursor cursor = view.GetRowCursor([view.Schema["Upos"]]);
        Assert.IsTrue(cursor.IsColumnActive(view.Schema["Upos"]));
        Assert.IsFalse(cursor.IsColumnActive(view.Schema["Tokens"]));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(view.Schema["Tokens"]));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<string>(view.Schema["Upos"]));
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(view.Schema["Upos"]);
        VBuffer<ReadOnlyMemory<char>> value = default;
        Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref value));
        Assert.IsTrue(cursor.MoveNext());
        getter(ref value);
        Assert.AreEqual("AUX", value.GetValues()[0].ToString());
        Assert.IsFalse(cursor.MoveNext());
    }

    [TestMethod]
    public void FeedsMapValueToKeyAndCaches()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("a.conllu", Word1 + "\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\tyou\tyou\tPRON\tPRP\t_\t1\tvocative\t_\t_\n");
        IDataView data = _ml.Data.Cache(_ml.Data.LoadFromConllU(path));
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Tags", "Upos").Fit(data).Transform(data);
        DataViewSchema.Column tags = keyed.Schema["Tags"];
        Assert.IsInstanceOfType<KeyDataViewType>(((VectorDataViewType)tags.Type).ItemType);
        VBuffer<ReadOnlyMemory<char>> names = default;
        tags.GetKeyValues(ref names);
        CollectionAssert.AreEqual(new[] { "AUX", "INTJ", "PRON" }, names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.AreEqual(2, _ml.Data.CreateEnumerable<UdRow>(_ml.Data.ShuffleRows(data, seed: 3), false).Count());
    }

    private IEnumerable<string[]> Tokens(IDataView view)
    {
        using DataViewRowCursor cursor = view.GetRowCursor([view.Schema["Tokens"]]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(view.Schema["Tokens"]);
        var rows = new List<string[]>();
        VBuffer<ReadOnlyMemory<char>> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().Select(t => t.ToString()).ToArray());
        }

        return rows;
    }
}
