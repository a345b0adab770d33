using System.Text.Json;

namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class ImageCaptioningCliTests
{
    [TestMethod]
    public void TrainEvaluatePredictAndCodegenOnSyntheticScenes()
    {
        using var files = new TestFiles();
        (string train, string validation) = MediaFiles.Scenes(files.Root, 40, 10);
        int validationImages = File.ReadLines(validation).Skip(1).Select(l => l.Split('\t')[0]).Distinct().Count();
        string output = files.PathOf("out");
        Mlseq.Result trained = Mlseq.Run("train", "image-captioning", "--dataset", train, "--validation-dataset", validation,
            "--image-col", "ImagePath", "--label-col", "Caption", "--max-epochs", "1", "--hidden-size", "24", "--embedding-size", "16",
            "--batch-size", "16", "--threads", "1", "--output", output);
        Assert.AreEqual(0, trained.ExitCode, trained.ToString());
        StringAssert.Contains(trained.Stdout, "bleu_4");
        CollectionAssert.AreEquivalent(new[] { "model.zip", "metrics.json", "training-curves.png" },
            Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.AreEqual(File.ReadLines(train).Count() - 1, metrics.RootElement.GetProperty("training_rows").GetInt64(), "one row per (image, caption) pair");
        JsonElement evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.AreEqual(validationImages, evaluation.GetProperty("rows").GetInt64(), "BLEU scores one row per image, its captions grouped as references");
        JsonElement figures = evaluation.GetProperty("metrics");
        double[] bleu = [.. Enumerable.Range(1, 4).Select(n => figures.GetProperty($"bleu_{n}").GetDouble())];
        Assert.IsTrue(bleu.All(b => b is >= 0 and <= 1), figures.ToString());
        Assert.IsTrue(bleu[0] >= bleu[3], "BLEU-1 ≥ BLEU-4 (the geometric mean only adds smaller precisions)");

        string model = Path.Combine(output, "model.zip"), json = files.PathOf("validation.json");
        Mlseq.Result evaluate = Mlseq.Run("evaluate", "--model", model, "--dataset", validation, "--output", json);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        using JsonDocument again = JsonDocument.Parse(File.ReadAllText(json));
        Assert.AreEqual(bleu[3], again.RootElement.GetProperty("metrics").GetProperty("bleu_4").GetDouble(), 1e-6, "the saved model scores as the trained one did");

        string image = Path.Combine(files.Root, File.ReadLines(validation).Skip(1).First().Split('\t')[0]), pictures = files.PathOf("pictures");
        Mlseq.Result one = Mlseq.Run("predict", "--model", model, "--text", image, "--pictures", pictures);
        Assert.AreEqual(0, one.ExitCode, one.ToString());
        string caption = one.Stdout.Split('\n').Single(l => l.StartsWith("PredictedCaption: ", StringComparison.Ordinal))["PredictedCaption: ".Length..].Trim();
        Assert.IsTrue(caption.Length > 0, one.Stdout);
        Assert.IsTrue(File.Exists(Path.Combine(pictures, "attention.png")));

        string predictions = files.PathOf("predicted.tsv");
        Mlseq.Result file = Mlseq.Run("predict", "--model", model, "--dataset", validation, "--output", predictions);
        Assert.AreEqual(0, file.ExitCode, file.ToString());
        string[] rows = File.ReadAllLines(predictions);
        Assert.AreEqual("ImagePath\tPredictedCaption", rows[0]);
        Assert.HasCount(validationImages + 1, rows, "one caption per distinct image");

        Mlseq.Result code = Mlseq.Run("codegen", "--model", model);
        Assert.AreEqual(0, code.ExitCode, code.ToString());
        StringAssert.Contains(code.Stdout, "CreatePredictionEngine<ModelInput, ModelOutput>");
        StringAssert.Contains(code.Stdout, "prediction.PredictedCaption");

        Mlseq.Result unknown = Mlseq.Run("train", "image-captioning", "--dataset", train, "--label-col", "Text", "--output", output);
        Assert.AreEqual(2, unknown.ExitCode, unknown.ToString());
        StringAssert.Contains(unknown.Stderr, "ImagePath, Caption");
    }
}
