using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Pictures;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary>The library's pictures: each writes a decodable PNG atomically (no temporary file left), draws what it is
/// given (colours checked on the pixels), and rejects bad input with a clear exception.</summary>
[TestClass]
public sealed class PicturesTests
{
    private static readonly SKColor MetricGreen = new(44, 160, 44);

    [TestMethod]
    public void TrainingCurvesDrawBothPanelsAndOverwriteAtomically()
    {
        using var directory = new TempDirectory();
        string path = directory.File("curves.png");
        File.WriteAllText(path, "an older file");
        var history = new TrainingHistory(
        [
            new EpochSummary(1, 0.69, 0.66, 0.61, TimeSpan.FromSeconds(3), 1000),
            new EpochSummary(2, 0.52, 0.55, 0.72, TimeSpan.FromSeconds(3), 1000),
            new EpochSummary(3, 0.40, 0.58, 0.70, TimeSpan.FromSeconds(3), 1000),
        ], BestEpoch: 2, StoppedEarly: false);
        TrainingCurvePicture.Save(history, path, "validation accuracy");
        using SKBitmap bitmap = Decode(path);
        Assert.AreEqual(1200, bitmap.Width);
        Assert.AreEqual(480, bitmap.Height);
        Assert.IsTrue(Count(bitmap, c => Near(c, MetricGreen)) > 200, "the validation metric's green line is drawn");
        Assert.IsTrue(Count(bitmap, c => Near(c, new SKColor(31, 119, 180))) > 200, "the training loss's blue line is drawn");
        CollectionAssert.AreEqual(new[] { "curves.png" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName).ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => TrainingCurvePicture.Save(new TrainingHistory([], 0, false), path));
    }

    [TestMethod]
    public void ConfusionMatrixShadesTheDiagonalByTheRowShare()
    {
        using var directory = new TempDirectory();
        string path = directory.File("confusion.png");
        double[][] counts = [[90, 10, 0], [5, 80, 15], [0, 30, 70]];
        ConfusionMatrixPicture.Save(counts, ["ADJ", "NOUN", "VERB"], path);
        using SKBitmap bitmap = Decode(path);
        Assert.IsTrue(Count(bitmap, c => c.Blue > 90 && c.Red < 40) > 2000, "dark cells for the large shares");
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixPicture.Save(counts, ["a", "b"], path));
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixPicture.Save([[1.0, 2.0]], ["a"], path));
        Assert.ThrowsExactly<ArgumentException>(() => ConfusionMatrixPicture.Save([[-1.0]], ["a"], path));
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => ConfusionMatrixPicture.Save(counts, ["a", "b", "c"], directory.File("no/such.png")));
    }

    [TestMethod]
    public void TextPatternsMarkQuotesAndLinePositions()
    {
        CollectionAssert.AreEqual(new[] { 0.0, 0, 1, 1, 1, 1, 0 }, TextPatterns.InsideQuotes(["he", "said", "\"", "hi", "there", "\"", "ok"]));
        CollectionAssert.AreEqual(new[] { 0.0, 0.5, 1, 0, 0, 1 }, TextPatterns.LinePosition(["a", "b", "c", "\n", "d", "e"]));
    }

    [TestMethod]
    public void TheCorrelationSearchFindsAPlantedUnit()
    {
        string[] tokens = ["a", "\"", "b", "c", "\"", "d", "e", "f"];
        double[] pattern = TextPatterns.InsideQuotes(tokens);
        var random = new Random(5);
        float[][] values = tokens.Select((_, t) => Enumerable.Range(0, 6).Select(u => u == 4 ? (float)(0.8 * pattern[t]) - 0.4f
            : u == 1 ? (float)(-0.5 * pattern[t]) + (0.05f * (float)random.NextDouble()) : (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        var activations = new HiddenUnitActivations(tokens, values);
        IReadOnlyList<UnitCorrelation> best = activations.MostCorrelatedUnits(pattern, 2);
        Assert.AreEqual(4, best[0].Unit);
        Assert.AreEqual(1.0, best[0].Correlation, 1e-6);
        Assert.AreEqual(1, best[1].Unit, "the anti-correlated unit comes second (by magnitude)");
        Assert.IsTrue(best[1].Correlation < -0.95);
        Assert.ThrowsExactly<ArgumentException>(() => activations.MostCorrelatedUnits([1.0, 0.0]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => activations.Unit(6));
    }

    [TestMethod]
    public void AClassifierWithAttentionDrawsItsStripAndItsUnits()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Data.LoadFromEnumerable(SentimentData.Separable(40));
        using TextClassifierTransformer model = ml.BinaryClassification.Trainers.RecurrentTextClassifier(new RecurrentTextClassifierOptions
        {
            TextColumnName = "Sentence", LabelColumnName = "Positive", EmbeddingSize = 8, HiddenSize = 5, MaxEpochs = 2, BatchSize = 8,
            Pooling = TimePooling.Attention, ValidationFraction = 0,
        }).Fit(data);
        using var directory = new TempDirectory();
        const string Text = "he said \" good fine \" and left";
        AttentionStripPicture.Save(model, Text, directory.File("attention.png"));
        using (SKBitmap strip = Decode(directory.File("attention.png")))
        {
            Assert.IsTrue(Count(strip, c => c.Blue > c.Red + 40) > 100, "tokens shaded blue by their weights");
        }

        HiddenUnitActivations activations = HiddenUnitActivations.Record(model, Text);
        CollectionAssert.AreEqual(model.Tokenize(Text), activations.Tokens.ToArray());
        Assert.AreEqual(10, activations.UnitCount, "5 units per direction, both directions");
        Assert.IsTrue(activations.Unit(0).All(v => v is > -1 and < 1), "LSTM outputs lie in (-1, 1)");
        UnitCorrelation unit = activations.MostCorrelatedUnits(TextPatterns.InsideQuotes(activations.Tokens), 1)[0];
        UnitActivationPicture.Save(activations, unit.Unit, directory.File("unit.png"), "inside quotes");
        using (SKBitmap picture = Decode(directory.File("unit.png")))
        {
            Assert.IsTrue(Count(picture, c => c.Red > c.Blue + 40 || c.Blue > c.Red + 40) > 100, "boxes coloured by sign");
        }

        using TextClassifierTransformer plain = ml.BinaryClassification.Trainers.RecurrentTextClassifier(new RecurrentTextClassifierOptions
        {
            TextColumnName = "Sentence", LabelColumnName = "Positive", EmbeddingSize = 4, HiddenSize = 4, MaxEpochs = 1, ValidationFraction = 0,
        }).Fit(data);
        Assert.ThrowsExactly<InvalidOperationException>(() => AttentionStripPicture.Save(plain, Text, directory.File("none.png")));
        Assert.ThrowsExactly<ArgumentException>(() => AttentionStripPicture.Save(["a", "b"], [0.5f], directory.File("bad.png")));
        Assert.ThrowsExactly<ArgumentException>(() => AttentionStripPicture.Save(["a"], [-0.5f], directory.File("bad.png")));
    }

    private static SKBitmap Decode(string path) => SKBitmap.Decode(path) ?? throw new AssertFailedException($"{path} is not a decodable picture.");

    private static int Count(SKBitmap bitmap, Func<SKColor, bool> predicate)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (predicate(bitmap.GetPixel(x, y)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static bool Near(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) < 12 && Math.Abs(a.Green - b.Green) < 12 && Math.Abs(a.Blue - b.Blue) < 12;
}
