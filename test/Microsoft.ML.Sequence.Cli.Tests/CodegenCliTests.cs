namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary><c>mlseq codegen</c> for both tasks: the printed programs build in a project outside the repository and
/// predict what <c>mlseq predict</c> predicts.</summary>
[TestClass]
public sealed class CodegenCliTests
{
    [TestMethod]
    public void GeneratedProgramsBuildAndPredictLikeTheTool()
    {
        using var files = new TestFiles();
        string classifier = files.PathOf("classifier"), tagger = files.PathOf("tagger");
        Mlseq.Result train = Mlseq.Run("train", "text-classification", "--dataset", files.SentimentTsv("reviews.tsv", perSource: 100),
            "--max-epochs", "1", "--hidden-size", "8", "--embedding-size", "8", "--threads", "1", "--output", classifier);
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        Mlseq.Result tag = Mlseq.Run("train", "sequence-tagging", "--dataset", files.Ewt("train.conllu", "train", 120), "--max-epochs", "1",
            "--hidden-size", "8", "--char-encoder", "false", "--threads", "1", "--output", tagger);
        Assert.AreEqual(0, tag.ExitCode, tag.ToString());

        const string Review = "Terrible service, cold food, never again.";
        const string Sentence = "The dog barks at night .";
        string classifierModel = Path.Combine(classifier, "model.zip"), taggerModel = Path.Combine(tagger, "model.zip");
        Mlseq.Result classifierCode = Mlseq.Run("codegen", "--model", classifierModel), taggerCode = Mlseq.Run("codegen", "--model", taggerModel);
        Assert.AreEqual(0, classifierCode.ExitCode, classifierCode.ToString());
        Assert.AreEqual(0, taggerCode.ExitCode, taggerCode.ToString());
        foreach (string code in new[] { classifierCode.Stdout, taggerCode.Stdout })
        {
            StringAssert.Contains(code, "public sealed class ModelInput");
            StringAssert.Contains(code, "public sealed class ModelOutput");
            StringAssert.Contains(code, "CreatePredictionEngine<ModelInput, ModelOutput>");
        }

        string[] runs = GeneratedProgram.BuildAndRun((classifierCode.Stdout, [classifierModel, Review]), (taggerCode.Stdout, [taggerModel, Sentence]));
        StringAssert.Contains(runs[0], Line(Mlseq.Run("predict", "--model", classifierModel, "--text", Review), "PredictedLabel: "),
            "the generated classifier program predicts what mlseq predict does");
        StringAssert.Contains(runs[0], "Probability: ");
        StringAssert.Contains(runs[1], Line(Mlseq.Run("predict", "--model", taggerModel, "--text", Sentence), "tagged: "),
            "the generated tagger program tags as mlseq predict does");
    }

    private static string Line(Mlseq.Result run, string prefix)
    {
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        return run.Stdout.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Trim();
    }
}
