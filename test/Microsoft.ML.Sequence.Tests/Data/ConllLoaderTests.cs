using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Loading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data;

[TestClass]
public sealed class ConllLoaderTests
{
    [TestMethod]
    public void ReadsUdEwtTestWith25094Tokens()
    {
        ISequenceDataView view = ConllLoader.Load(TestData.PathOf("ud-english-ewt/en_ewt-ud-test.conllu"));
        int sentences = 0, tokens = 0;
        string[]? firstTokens = null, firstTags = null;
        using DataCursor cursor = view.GetCursor();
        while (cursor.MoveNext())
        {
            string[] words = cursor.GetValue<string[]>("Tokens");
            string[] tags = cursor.GetValue<string[]>("Tags");
            Assert.HasCount(words.Length, tags);
            firstTokens ??= words;
            firstTags ??= tags;
            sentences++;
            tokens += words.Length;
        }

        Assert.AreEqual(2077, sentences);
        Assert.AreEqual(25094, tokens);
        CollectionAssert.AreEqual(new[] { "What", "if", "Google", "Morphed", "Into", "GoogleOS", "?" }, firstTokens);
        CollectionAssert.AreEqual(new[] { "PRON", "SCONJ", "PROPN", "VERB", "ADP", "PROPN", "PUNCT" }, firstTags);
    }

    [TestMethod]
    public void ReadsUdEwtTrainAndDevSentenceCounts()
    {
        Assert.AreEqual(12544L, SequenceDataView.Cache(ConllLoader.Load(TestData.PathOf("ud-english-ewt/en_ewt-ud-train.conllu"))).RowCount);
        Assert.AreEqual(2001L, SequenceDataView.Cache(ConllLoader.Load(TestData.PathOf("ud-english-ewt/en_ewt-ud-dev.conllu"))).RowCount);
    }

    [TestMethod]
    public void SkipsRangesAndEmptyNodesAndReadsWhitespaceConll()
    {
        using var dir = new TempDirectory();
        string conllu = dir.Write("a.conllu",
            "# text = don't\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n2.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n");
        var rows = SequenceDataView.Cache(ConllLoader.Load(conllu));
        using (DataCursor cursor = rows.GetCursor())
        {
            Assert.IsTrue(cursor.MoveNext());
            CollectionAssert.AreEqual(new[] { "do", "n't" }, cursor.GetValue<string[]>("Tokens"));
            Assert.IsTrue(cursor.MoveNext());
            CollectionAssert.AreEqual(new[] { "INTJ" }, cursor.GetValue<string[]>("Tags"));
            Assert.IsFalse(cursor.MoveNext());
        }

        string conll = dir.Write("b.txt", "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n");
        using DataCursor c2 = ConllLoader.Load(conll, new ConllOptions { Format = ConllFormat.Whitespace }).GetCursor();
        Assert.IsTrue(c2.MoveNext());
        CollectionAssert.AreEqual(new[] { "B-ORG", "O" }, c2.GetValue<string[]>("Tags"));
        Assert.IsFalse(c2.MoveNext());
    }

    [TestMethod]
    public void TooFewFieldsNamesFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("bad.conllu", "1\tHi\thi\tINTJ\n\n# c\n1\tYo\n");
        var e = Assert.ThrowsExactly<DataFormatException>(() => SequenceDataView.Cache(ConllLoader.Load(path)));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "line 4,");
        StringAssert.Contains(e.Message, "column \"Tags\"");
    }

    [TestMethod]
    public void InvalidUtf8AndEmptyFileAreReported()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [.. "1\tHi\thi\tINTJ\n2\tB"u8, 0xFF, .. "d\tb\tX\n"u8];
        string path = dir.WriteBytes("bad.conllu", bytes);
        var e = Assert.ThrowsExactly<DataFormatException>(() => SequenceDataView.Cache(ConllLoader.Load(path)));
        StringAssert.Contains(e.Message, $"{path} line 2, column \"Tokens\"");
        string empty = dir.Write("empty.conllu", "");
        var e2 = Assert.ThrowsExactly<DataFormatException>(() => ConllLoader.Load(empty));
        StringAssert.Contains(e2.Message, $"{empty} line 1, column \"Tokens\"");
    }
}
