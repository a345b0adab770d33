using System.Text.Json;

namespace Microsoft.ML.Sequence.Cli.Tests;

[TestClass]
public sealed class CtcRecognitionCliTests
{
    [TestMethod]
    public void TrainEvaluatePredictAndCodegenOnRenderedWords()
    {
        using var files = new TestFiles();
        // Training and validation data in different folders: image paths are relative to each TSV's own folder.
        string train = MediaFiles.WordImages(files.PathOf("train"), 32, 0), dev = MediaFiles.WordImages(files.PathOf("dev"), 8, 100);
        string output = files.PathOf("out");
        Mlseq.Result trained = Mlseq.Run("train", "ctc-recognition", "--dataset", train, "--validation-dataset", dev, "--image-col", "ImagePath",
            "--label-col", "Text", "--max-epochs", "2", "--hidden-size", "16", "--layers", "1", "--batch-size", "8", "--threads", "1", "--output", output);
        Assert.AreEqual(0, trained.ExitCode, trained.ToString());
        StringAssert.Contains(trained.Stdout, "sequence_accuracy");
        CollectionAssert.AreEquivalent(new[] { "model.zip", "metrics.json", "training-curves.png" },
            Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.AreEqual("ctc-recognition", metrics.RootElement.GetProperty("task").GetString());
        Assert.AreEqual(32, metrics.RootElement.GetProperty("training_rows").GetInt64());
        JsonElement evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.AreEqual(8, evaluation.GetProperty("rows").GetInt64(), "the 8 dev lines");
        JsonElement figures = evaluation.GetProperty("metrics");
        double cer = figures.GetProperty("cer").GetDouble(), sequenceAccuracy = figures.GetProperty("sequence_accuracy").GetDouble();
        Assert.IsTrue(cer >= 0 && figures.GetProperty("wer").GetDouble() >= 0 && sequenceAccuracy is >= 0 and <= 1, evaluation.ToString());
        Assert.AreEqual(24, figures.GetProperty("reference_characters").GetDouble(), "8 three-letter words");
        JsonElement[] epochs = metrics.RootElement.GetProperty("history").GetProperty("epochs").EnumerateArray().ToArray();
        Assert.IsTrue(epochs.Length is >= 1 and <= 2, metrics.RootElement.ToString());
        Assert.AreEqual(1 - cer, epochs[metrics.RootElement.GetProperty("history").GetProperty("best_epoch").GetInt32() - 1]
            .GetProperty("validation_metric").GetDouble(), 1e-5, "the kept epoch's validation metric is 1 − CER of dev");

        string model = Path.Combine(output, "model.zip"), json = files.PathOf("dev.json");
        Mlseq.Result evaluate = Mlseq.Run("evaluate", "--model", model, "--dataset", dev, "--output", json);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        using JsonDocument again = JsonDocument.Parse(File.ReadAllText(json));
        Assert.AreEqual(cer, again.RootElement.GetProperty("metrics").GetProperty("cer").GetDouble(), 1e-6, "the saved model scores dev as the trained one did");

        Mlseq.Result one = Mlseq.Run("predict", "--model", model, "--text", Path.Combine(files.PathOf("dev"), "img", "w100.png"));
        Assert.AreEqual(0, one.ExitCode, one.ToString());
        string line = one.Stdout.Split('\n').Single(l => l.StartsWith("PredictedText: ", StringComparison.Ordinal));
        Assert.IsTrue(line["PredictedText: ".Length..].Trim().All(c => char.IsAsciiLetterLower(c) || c == ' '), line);

        string predictions = files.PathOf("dev.predicted.tsv");
        Mlseq.Result file = Mlseq.Run("predict", "--model", model, "--dataset", dev, "--output", predictions);
        Assert.AreEqual(0, file.ExitCode, file.ToString());
        string[] rows = File.ReadAllLines(predictions);
        Assert.AreEqual("ImagePath\tPredictedText", rows[0]);
        Assert.HasCount(9, rows);
        Assert.AreEqual("img/w100.png", rows[1].Split('\t')[0], "paths as written in the data file");

        Mlseq.Result code = Mlseq.Run("codegen", "--model", model);
        Assert.AreEqual(0, code.ExitCode, code.ToString());
        StringAssert.Contains(code.Stdout, "CreatePredictionEngine<ModelInput, ModelOutput>");
        StringAssert.Contains(code.Stdout, "[ColumnName(@\"ImagePath\")]");
        StringAssert.Contains(code.Stdout, "prediction.PredictedText");

        // A missing image names the file, line and column; exit code 2.
        File.Delete(Path.Combine(files.PathOf("dev"), "img", "w103.png"));
        Mlseq.Result missing = Mlseq.Run("evaluate", "--model", model, "--dataset", dev);
        Assert.AreEqual(2, missing.ExitCode, missing.ToString());
        StringAssert.Contains(missing.Stderr, "lines.tsv");
        StringAssert.Contains(missing.Stderr, "line 5");
        StringAssert.Contains(missing.Stderr, "w103.png");
    }

    [TestMethod]
    public void TrainsOnWavFilesThroughLogMelFeatures()
    {
        using var files = new TestFiles();
        string train = MediaFiles.ToneDigits(files.PathOf("train"), 24, 1), dev = MediaFiles.ToneDigits(files.PathOf("dev"), 6, 2);
        string output = files.PathOf("out");
        Mlseq.Result trained = Mlseq.Run("train", "ctc-recognition", "--dataset", train, "--validation-dataset", dev, "--audio-col", "AudioPath",
            "--max-epochs", "2", "--hidden-size", "16", "--layers", "1", "--batch-size", "8", "--threads", "1", "--output", output);
        Assert.AreEqual(0, trained.ExitCode, trained.ToString());
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        JsonElement evaluation = metrics.RootElement.GetProperty("evaluation");
        Assert.AreEqual(6, evaluation.GetProperty("rows").GetInt64());
        double cer = evaluation.GetProperty("metrics").GetProperty("cer").GetDouble();

        string json = files.PathOf("dev.json");
        Mlseq.Result evaluate = Mlseq.Run("evaluate", "--model", Path.Combine(output, "model.zip"), "--dataset", dev, "--output", json);
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.ToString());
        using JsonDocument again = JsonDocument.Parse(File.ReadAllText(json));
        Assert.AreEqual(cer, again.RootElement.GetProperty("metrics").GetProperty("cer").GetDouble(), 1e-6);

        Mlseq.Result one = Mlseq.Run("predict", "--model", Path.Combine(output, "model.zip"), "--text", Path.Combine(files.PathOf("dev"), "wav", "u2-0.wav"));
        Assert.AreEqual(0, one.ExitCode, one.ToString());
        string line = one.Stdout.Split('\n').Single(l => l.StartsWith("PredictedText: ", StringComparison.Ordinal));
        Assert.IsTrue(line["PredictedText: ".Length..].Trim().All(c => c is >= '0' and <= '2'), line);

        Mlseq.Result both = Mlseq.Run("train", "ctc-recognition", "--dataset", train, "--audio-col", "AudioPath", "--image-col", "AudioPath", "--output", output);
        Assert.AreEqual(2, both.ExitCode, both.ToString());
        StringAssert.Contains(both.Stderr, "either --image-col");
    }
}
