namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class ErrorCliTests
{
    private static TestFiles _files = null!;

    [ClassInitialize]
    public static void Create(TestContext _) => _files = new TestFiles();

    [ClassCleanup]
    public static void Cleanup() => _files.Dispose();

    [TestMethod]
    public void AMissingDatasetIsOneLineExitTwoAndNoOutput()
    {
        string output = _files.PathOf("missing-out");
        Mlseq.Result run = Mlseq.Run("train", "text-classification", "--dataset", _files.PathOf("nope.tsv"), "--output", output);
        AssertOneErrorLine(run, "dataset file not found: " + _files.PathOf("nope.tsv"));
        Assert.IsFalse(Directory.Exists(output), "nothing written");
    }

    [TestMethod]
    public void AnUnknownColumnListsTheColumnsThatExist()
    {
        string dataset = _files.SentimentTsv("columns.tsv", perSource: 20);
        Mlseq.Result run = Mlseq.Run("train", "text-classification", "--dataset", dataset, "--label-col", "Sentiment", "--output", _files.PathOf("o1"));
        AssertOneErrorLine(run, "columns.tsv has no column \"Sentiment\"; its columns are: Text, Label.");
        string conllu = _files.Ewt("few.conllu", "dev", 5);
        Mlseq.Result tagging = Mlseq.Run("train", "sequence-tagging", "--dataset", conllu, "--label-col", "Ner", "--output", _files.PathOf("o2"));
        AssertOneErrorLine(tagging, "few.conllu has no column \"Ner\"; its columns are: Tokens, Lemmas, Upos, Xpos, Feats, Heads, DepRels.");
    }

    [TestMethod]
    public void ABadRowNamesFileLineAndColumn()
    {
        string good = _files.SentimentTsv("good.tsv", perSource: 10);
        string[] lines = File.ReadAllLines(good);
        lines[7] = "a row without its label";
        string shortRow = _files.Write("short.tsv", string.Join('\n', lines) + "\n");
        AssertOneErrorLine(Mlseq.Run("train", "text-classification", "--dataset", shortRow, "--output", _files.PathOf("o3")),
            "short.tsv line 8, column \"Label\": the row has 1 field(s) where the header has 2");
        lines[7] = "an empty label\t";
        string empty = _files.Write("empty.tsv", string.Join('\n', lines) + "\n");
        AssertOneErrorLine(Mlseq.Run("train", "text-classification", "--dataset", empty, "--output", _files.PathOf("o4")),
            "empty.tsv line 8, column \"Label\": empty value");
        string conllu = _files.Write("broken.conllu", "1\tHello\thello\tINTJ\tUH\t_\t0\troot\t0:root\t_\n2\tthere\n\n");
        AssertOneErrorLine(Mlseq.Run("train", "sequence-tagging", "--dataset", conllu, "--output", _files.PathOf("o5")), "broken.conllu line 2");
    }

    [TestMethod]
    public void ModelAndUsageErrorsExitTwoAndVerboseShowsTheStack()
    {
        AssertOneErrorLine(Mlseq.Run("predict", "--model", _files.PathOf("none.zip"), "--text", "hi"), "model file not found:");
        string fake = _files.Write("fake.zip", "not a zip");
        AssertOneErrorLine(Mlseq.Run("evaluate", "--model", fake, "--dataset", fake), "zip");
        AssertOneErrorLine(Mlseq.Run("train", "text-classification", "--output", _files.PathOf("o6")), "Option '--dataset' is required.");
        AssertOneErrorLine(Mlseq.Run("predict", "--model", fake), "predict takes either --text");
        Mlseq.Result verbose = Mlseq.Run("predict", "--model", fake, "--text", "hi", "--verbose");
        Assert.AreEqual(2, verbose.ExitCode, verbose.ToString());
        StringAssert.Contains(verbose.Stderr, "   at ", "--verbose prints the stack trace");
    }

    private static void AssertOneErrorLine(Mlseq.Result run, string expected)
    {
        Assert.AreEqual(2, run.ExitCode, run.ToString());
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, run.ToString());
        StringAssert.StartsWith(lines[0], "error: ");
        StringAssert.Contains(lines[0], expected);
        Assert.IsFalse(run.Stderr.Contains('\u001b'), "no colour codes when stderr is redirected");
    }
}
