namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary><c>mlseq codegen</c> for the image tasks: the printed programs (a path in, PredictedText or PredictedCaption
/// out) build outside the repository and predict what <c>mlseq predict</c> predicts.</summary>
[TestClass]
public sealed class ImageCodegenCliTests
{
    [TestMethod]
    public void GeneratedRecognizerAndCaptionerProgramsBuildAndPredictLikeTheTool()
    {
        using var files = new TestFiles();
        string lines = MediaFiles.WordImages(files.PathOf("lines"), 16, 0);
        (string scenes, _) = MediaFiles.Scenes(files.PathOf("scenes"), 40, 4);
        string recognizer = files.PathOf("ocr"), captioner = files.PathOf("captions");
        Mlseq.Result ocr = Mlseq.Run("train", "ctc-recognition", "--dataset", lines, "--image-col", "ImagePath", "--max-epochs", "1",
            "--hidden-size", "8", "--layers", "1", "--batch-size", "8", "--threads", "1", "--output", recognizer);
        Assert.AreEqual(0, ocr.ExitCode, ocr.ToString());
        Mlseq.Result caption = Mlseq.Run("train", "image-captioning", "--dataset", scenes, "--max-epochs", "3", "--hidden-size", "16",
            "--embedding-size", "8", "--batch-size", "16", "--threads", "1", "--output", captioner);
        Assert.AreEqual(0, caption.ExitCode, caption.ToString());

        string line = Path.Combine(files.PathOf("lines"), "img", "w3.png");
        string scene = Path.Combine(files.PathOf("scenes"), File.ReadLines(scenes).Skip(1).First().Split('\t')[0]);
        string ocrModel = Path.Combine(recognizer, "model.zip"), captionModel = Path.Combine(captioner, "model.zip");
        Mlseq.Result ocrCode = Mlseq.Run("codegen", "--model", ocrModel), captionCode = Mlseq.Run("codegen", "--model", captionModel);
        Assert.AreEqual(0, ocrCode.ExitCode, ocrCode.ToString());
        Assert.AreEqual(0, captionCode.ExitCode, captionCode.ToString());

        string[] runs = GeneratedProgram.BuildAndRun((ocrCode.Stdout, [ocrModel, line]), (captionCode.Stdout, [captionModel, scene]));
        Assert.AreEqual(Line(Mlseq.Run("predict", "--model", ocrModel, "--text", line), "PredictedText:"), Line(runs[0], "PredictedText:"),
            "the generated recognizer program reads the image as mlseq predict does");
        Assert.AreEqual(Line(Mlseq.Run("predict", "--model", captionModel, "--text", scene), "PredictedCaption:"), Line(runs[1], "PredictedCaption:"),
            "the generated captioner program captions as mlseq predict does");
    }

    private static string Line(Mlseq.Result run, string prefix)
    {
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        return Line(run.Stdout, prefix);
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Trim();
}
