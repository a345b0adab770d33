using System.Text.Json;

namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class SequenceTaggingCliTests
{
    [TestMethod]
    public void TrainEvaluateAndPredictOnEwtSentences()
    {
        using var files = new TestFiles();
        string train = files.Ewt("train.conllu", "train", 300), dev = files.Ewt("dev.conllu", "dev", 100);
        string output = files.PathOf("out");
        Mlseq.Result trained = Mlseq.Run("train", "sequence-tagging", "--dataset", train, "--validation-dataset", dev, "--label-col", "Upos",
            "--max-epochs", "2", "--hidden-size", "16", "--char-encoder", "false", "--threads", "1", "--output", output);
        Assert.AreEqual(0, trained.ExitCode, trained.ToString());
        StringAssert.Contains(trained.Stdout, "Per tag");
        CollectionAssert.AreEquivalent(new[] { "model.zip", "metrics.json", "training-curves.png", "confusion-matrix.png" },
            Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        JsonElement evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.AreEqual(100, evaluation.GetProperty("rows").GetInt64(), "the 100 dev sentences");
        Assert.AreEqual(300, metrics.RootElement.GetProperty("training_rows").GetInt64());
        double accuracy = evaluation.GetProperty("metrics").GetProperty("token_accuracy").GetDouble();
        double[][] counts = evaluation.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
        Assert.AreEqual(counts.Select((r, i) => r[i]).Sum() / counts.Sum(r => r.Sum()), accuracy, 1e-6, "token accuracy is the confusion diagonal");
        string[] tags = evaluation.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "NOUN", "VERB", "PUNCT" }, tags);

        string json = files.PathOf("dev.json");
        Mlseq.Result evaluate = Mlseq.Run("evaluate", "--model", Path.Combine(output, "model.zip"), "--dataset", dev, "--output", json);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        using JsonDocument again = JsonDocument.Parse(File.ReadAllText(json));
        Assert.AreEqual(accuracy, again.RootElement.GetProperty("metrics").GetProperty("token_accuracy").GetDouble(), 1e-6,
            "the saved model scores dev as the trained one did");

        Mlseq.Result one = Mlseq.Run("predict", "--model", Path.Combine(output, "model.zip"), "--text", "The dog barks at night .");
        Assert.AreEqual(0, one.ExitCode, one.ToString());
        string tagged = one.Stdout.Split('\n').Single(l => l.StartsWith("tagged: ", StringComparison.Ordinal));
        Assert.HasCount(6, tagged["tagged: ".Length..].Trim().Split(' '));
        Assert.IsTrue(tagged["tagged: ".Length..].Trim().Split(' ').All(p => tags.Contains(p[(p.LastIndexOf('/') + 1)..])), tagged);

        string predictions = files.PathOf("dev.tags");
        Mlseq.Result file = Mlseq.Run("predict", "--model", Path.Combine(output, "model.zip"), "--dataset", dev, "--output", predictions);
        Assert.AreEqual(0, file.ExitCode, file.ToString());
        string[] lines = File.ReadAllLines(predictions);
        Assert.AreEqual(100, lines.Count(l => l.Length == 0), "one blank line after each sentence");
        long tokens = (long)counts.Sum(r => r.Sum());
        Assert.AreEqual(tokens, lines.Count(l => l.Length > 0), "one line per token");
    }
}
