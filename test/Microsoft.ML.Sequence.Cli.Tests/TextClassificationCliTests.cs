using System.Globalization;
using System.Text.Json;

namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class TextClassificationCliTests
{
    private static TestFiles _files = null!;
    private static string _output = null!;
    private static Mlseq.Result _train = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext _)
    {
        _files = new TestFiles();
        string dataset = _files.SentimentTsv("reviews.tsv", perSource: 150);
        _output = _files.PathOf("out");
        _train = Mlseq.Run("train", "text-classification", "--dataset", dataset, "--label-col", "Label", "--text-col", "Text",
            "--max-epochs", "2", "--seed", "3", "--hidden-size", "16", "--embedding-size", "16", "--threads", "1", "--output", _output);
    }

    [ClassCleanup]
    public static void Cleanup() => _files.Dispose();

    [TestMethod]
    public void TrainWritesTheModelMetricsAndPicturesAndPrintsPlainProgress()
    {
        Assert.AreEqual(0, _train.ExitCode, _train.ToString());
        CollectionAssert.AreEquivalent(new[] { "model.zip", "metrics.json", "training-curves.png", "confusion-matrix.png" },
            Directory.GetFiles(_output).Select(Path.GetFileName).ToArray(), "these four files and no temporary file");
        foreach (string picture in new[] { "training-curves.png", "confusion-matrix.png" })
        {
            byte[] head = File.ReadAllBytes(Path.Combine(_output, picture))[..8];
            CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head, picture + " is a PNG");
        }

        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "metrics.json")));
        JsonElement root = metrics.RootElement;
        Assert.AreEqual("text-classification", root.GetProperty("task").GetString());
        JsonElement history = root.GetProperty("history");
        Assert.AreEqual(2, history.GetProperty("epochs").GetArrayLength());
        Assert.IsFalse(history.GetProperty("interrupted").GetBoolean());
        JsonElement evaluation = root.GetProperty("evaluation");
        double accuracy = evaluation.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.IsTrue(accuracy is >= 0 and <= 1, $"accuracy {accuracy}");
        // 10% of the 300 rows hold out for validation; the confusion matrix counts exactly those rows.
        long rows = evaluation.GetProperty("rows").GetInt64();
        double counted = evaluation.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetDouble());
        Assert.AreEqual(rows, (long)counted);
        Assert.AreEqual(300, root.GetProperty("training_rows").GetInt64() + rows);
        double diagonal = evaluation.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().Select((r, i) => r[i].GetDouble()).Sum();
        Assert.AreEqual(diagonal / rows, accuracy, 1e-6, "accuracy is the confusion matrix's diagonal share");
        StringAssert.Contains(_train.Stdout, "epoch end  epoch 2/2");
        StringAssert.Contains(_train.Stdout, "Confusion matrix");
        Assert.IsFalse(_train.Stdout.Contains('\u001b'), "no escape codes when stdout is redirected");
    }

    [TestMethod]
    public void EvaluateAgreesWithThePredictionsPredictWrites()
    {
        string other = _files.SentimentTsv("other.tsv", perSource: 60, skip: 400);
        string json = _files.PathOf("evaluation.json"), predictions = _files.PathOf("predictions.tsv");
        Mlseq.Result evaluate = Mlseq.Run("evaluate", "--model", Path.Combine(_output, "model.zip"), "--dataset", other, "--output", json);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        StringAssert.Contains(evaluate.Stdout, "auc");
        Mlseq.Result predict = Mlseq.Run("predict", "--model", Path.Combine(_output, "model.zip"), "--dataset", other, "--output", predictions);
        Assert.AreEqual(0, predict.ExitCode, predict.ToString());
        StringAssert.Contains(predict.Stdout, "wrote 120 predictions");

        string[] gold = File.ReadLines(other).Skip(1).Select(l => l.Split('\t')[1] == "1" ? "True" : "False").ToArray();
        string[][] predicted = File.ReadLines(predictions).Skip(1).Select(l => l.Split('\t')).ToArray();
        Assert.AreEqual("Text\tPredictedLabel\tProbability", File.ReadLines(predictions).First());
        Assert.HasCount(gold.Length, predicted);
        Assert.IsTrue(predicted.All(p => (p[1] == "True") == (float.Parse(p[2], CultureInfo.InvariantCulture) > 0.5f)), "label follows probability");
        double agreement = gold.Zip(predicted, (g, p) => g == p[1] ? 1.0 : 0.0).Average();
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(json));
        Assert.AreEqual(agreement, metrics.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-6);
        Assert.AreEqual(120, metrics.RootElement.GetProperty("rows").GetInt64());
    }

    [TestMethod]
    public void PredictTextPrintsTheLabelAndBothProbabilities()
    {
        Mlseq.Result predict = Mlseq.Run("predict", "--model", Path.Combine(_output, "model.zip"), "--text", "The food was great.");
        Assert.AreEqual(0, predict.ExitCode, predict.ToString());
        StringAssert.Matches(predict.Stdout, new System.Text.RegularExpressions.Regex("PredictedLabel: (True|False)"));
        StringAssert.Contains(predict.Stdout, "| True ");
        StringAssert.Contains(predict.Stdout, "| False ");
    }

    [TestMethod]
    public void StringLabelsInACsvTrainTheMulticlassModelWithAttention()
    {
        string dataset = _files.SourcesCsv("sources.csv", perSource: 80);
        string output = _files.PathOf("multi");
        Mlseq.Result train = Mlseq.Run("train", "text-classification", "--dataset", dataset, "--label-col", "Source", "--max-epochs", "1",
            "--hidden-size", "8", "--embedding-size", "8", "--pooling", "Attention", "--threads", "1", "--output", output);
        Assert.AreEqual(0, train.ExitCode, train.ToString());
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        JsonElement evaluation = metrics.RootElement.GetProperty("evaluation");
        CollectionAssert.AreEqual(new[] { "amazon", "imdb", "yelp" },
            evaluation.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray(), "classes in sorted order");
        Assert.IsTrue(evaluation.GetProperty("metrics").TryGetProperty("macro_f1", out _));
        Mlseq.Result predict = Mlseq.Run("predict", "--model", Path.Combine(output, "model.zip"), "--text", "great phone, the battery lasts");
        Assert.AreEqual(0, predict.ExitCode, predict.ToString());
        StringAssert.Matches(predict.Stdout, new System.Text.RegularExpressions.Regex("PredictedLabel: (amazon|imdb|yelp)"));
        StringAssert.Contains(predict.Stdout, "attention: great(");
    }
}
