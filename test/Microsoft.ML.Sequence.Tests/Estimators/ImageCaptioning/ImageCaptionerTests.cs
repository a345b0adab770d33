using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Synthetic;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using SkiaSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Estimators.ImageCaptioning;

/// <summary>The captioner through ML.NET on tiny synthetic scenes: fit, lazy Transform and prediction engine, BLEU,
/// model.zip round trip with the decoding settings, beam width 1 = greedy, attention maps, errors, cancellation and
/// seeds.</summary>
[TestClass]
public sealed class ImageCaptionerTests
{
    private static string[] Captions(MLContext ml, ITransformer model, IEnumerable<SceneImage> scenes) =>
        model.Transform(CaptionerTestData.ReferenceRows(ml, scenes)).GetColumn<string>("PredictedCaption").ToArray();

    [TestMethod]
    public void FitsTransformsEvaluatesAndReportsProgress()
    {
        var ml = new MLContext(seed: 1);
        var model = CaptionerTestData.Model;
        IDataView scored = model.Transform(CaptionerTestData.ReferenceRows(ml, CaptionerTestData.Scenes.Test));
        string[] captions = scored.GetColumn<string>("PredictedCaption").ToArray();
        Assert.AreEqual(CaptionerTestData.Scenes.Test.Count, captions.Length);
        ImageCaptioningTransformer captioner = model.LastTransformer;
        foreach (string caption in captions)
        {
            Assert.IsTrue(caption.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= captioner.MaxCaptionLength, caption);
            Assert.IsFalse(caption.Contains("<s>") || caption.Contains("<pad>"), caption);
        }

        CaptioningMetrics metrics = ml.Sequence.EvaluateCaptioning(scored);
        Assert.AreEqual(captions.Length, metrics.SentenceCount);
        Assert.IsTrue(metrics.Bleu1 > 0, "two epochs learn at least the article and some colours: " + metrics);

        // The held-out part of the training rows picks the epoch: every epoch end reports a validation BLEU-4 in [0, 1].
        TrainingProgress[] ends = CaptionerTestData.Reports.Where(r => r.Phase == TrainingPhase.EpochEnd).ToArray();
        Assert.AreEqual(2, ends.Length);
        Assert.IsTrue(ends.All(r => r.ValidationMetric is >= 0 and <= 1 && r.ValidationLoss > 0));
        Assert.IsTrue(CaptionerTestData.Reports.Any(r => r.Phase == TrainingPhase.Step));
        Assert.IsNotNull(captioner.History);
        Assert.AreEqual(2, captioner.History.Epochs.Count);
        Assert.IsTrue(captioner.History.Epochs[1].TrainingLoss < captioner.History.Epochs[0].TrainingLoss);

        // The prediction engine captions one row through the same code as Transform.
        // Not disposed: ML.NET 5 disposes the model with its engine, and the other tests share this model.
        var engine = ml.Model.CreatePredictionEngine<CaptionerTestData.ReferenceRow, Prediction>(model);
        SceneImage first = CaptionerTestData.Scenes.Test[0];
        Assert.AreEqual(captions[0], engine.Predict(new CaptionerTestData.ReferenceRow { ImagePath = first.FileName }).PredictedCaption);
    }

    [TestMethod]
    public void ModelZipRoundTripsCaptionsOptionsAndBeamWidth()
    {
        var ml = new MLContext(seed: 1);
        var model = CaptionerTestData.Model;
        ImageCaptioningTransformer captioner = model.LastTransformer;
        using var temp = new TempDirectory();
        string path = temp.File("captioner.zip");
        captioner.BeamWidth = 3;
        captioner.LengthNormalization = 0.5;
        try
        {
            string[] beam = Captions(ml, model, CaptionerTestData.Scenes.Test);
            ml.Model.Save(model, CaptionerTestData.TrainingRows(ml, CaptionerTestData.Scenes.Train).Schema, path);
            var fresh = new MLContext(seed: 42);
            ITransformer loaded = fresh.Model.Load(path, out _);
            ImageCaptioningTransformer reloaded = ((IEnumerable<ITransformer>)loaded).OfType<ImageCaptioningTransformer>().Single();
            Assert.AreEqual(3, reloaded.BeamWidth);
            Assert.AreEqual(0.5, reloaded.LengthNormalization);
            Assert.AreEqual(JsonSerializer.Serialize(captioner.Options), JsonSerializer.Serialize(reloaded.Options), "every option round-trips");
            CollectionAssert.AreEqual(captioner.Vocabulary.Values.ToArray(), reloaded.Vocabulary.Values.ToArray());
            CollectionAssert.AreEqual(beam, Captions(fresh, loaded, CaptionerTestData.Scenes.Test));

            // The beam width is a setting of the loaded model too.
            reloaded.BeamWidth = 1;
            captioner.BeamWidth = 1;
            CollectionAssert.AreEqual(Captions(ml, model, CaptionerTestData.Scenes.Test), Captions(fresh, loaded, CaptionerTestData.Scenes.Test));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => reloaded.BeamWidth = 0);
            Assert.IsNull(reloaded.History);
        }
        finally
        {
            captioner.BeamWidth = 1;
            captioner.LengthNormalization = 0.7;
        }
    }

    [TestMethod]
    public void BeamWidthOneEqualsGreedyAndWiderBeamsScoreAtLeastAsWell()
    {
        ImageCaptioningTransformer captioner = CaptionerTestData.Model.LastTransformer;
        byte[][] images = CaptionerTestData.Scenes.Test.Concat(CaptionerTestData.Scenes.HeldOutComposition).Select(s =>
        {
            using MLImage image = CaptionerTestData.LoadImage(s);
            return ImagePixels.Read(image, 32, 32, s.FileName);
        }).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor batch = ImagePixels.ToTensor(images, 32, 32, captioner.Device);
        long start = captioner.Vocabulary.StartKey, end = captioner.Vocabulary.EndKey;
        DecodedCaption[] greedy = CaptionDecoding.Greedy(captioner.Network, batch, start, end, 10);
        DecodedCaption[] beam1 = CaptionDecoding.Beam(captioner.Network, batch, start, end, 10, width: 1, lengthNormalization: 0.7);
        // α = 0 ranks by log-probability alone: a wider beam never finds a less probable caption than greedy's.
        DecodedCaption[] beam4 = CaptionDecoding.Beam(captioner.Network, batch, start, end, 10, width: 4, lengthNormalization: 0);
        for (int i = 0; i < images.Length; i++)
        {
            CollectionAssert.AreEqual(greedy[i].Keys, beam1[i].Keys, $"image {i}");
            Assert.AreEqual(greedy[i].LogProbability, beam1[i].LogProbability, 1e-4);
            Assert.AreEqual(greedy[i].Weights.Length, beam1[i].Weights.Length);
            for (int w = 0; w < greedy[i].Weights.Length; w++)
            {
                // Beam search runs the same steps on a one-row batch: equal up to float rounding.
                Assert.IsTrue(greedy[i].Weights[w].Zip(beam1[i].Weights[w]).All(p => Math.Abs(p.First - p.Second) < 1e-5), $"image {i}, word {w}");
            }

            if (greedy[i].Keys.Length < 10)
            {
                Assert.IsTrue(beam4[i].LogProbability >= greedy[i].LogProbability - 1e-4, $"image {i}: {beam4[i].LogProbability} < {greedy[i].LogProbability}");
            }
        }
    }

    [TestMethod]
    public void AttentionMapIsAPngWithOnePanelPerWordAndWeightsThatSumToOne()
    {
        ImageCaptioningTransformer captioner = CaptionerTestData.Model.LastTransformer;
        using var temp = new TempDirectory();
        using MLImage image = CaptionerTestData.LoadImage(CaptionerTestData.Scenes.Test[1]);
        string png = temp.File("attention.png");
        GeneratedCaption caption = captioner.WriteAttentionMap(image, png, scale: 2);
        Assert.AreEqual(caption.Words.Count, caption.AttentionWeights.Count);
        Assert.AreEqual(captioner.GridWidth * captioner.GridHeight, caption.GridWidth * caption.GridHeight);
        foreach (float[] weights in caption.AttentionWeights)
        {
            Assert.AreEqual(64, weights.Length, "32 × 32 images through two poolings: an 8 × 8 grid");
            Assert.AreEqual(1, weights.Sum(), 1e-4);
        }

        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.IsNotNull(bitmap, "a readable PNG");
        Assert.IsTrue(bitmap.Width >= Math.Min(caption.Words.Count, 6) * 64 && bitmap.Height > 64);
        Assert.AreEqual(caption.Text, captioner.Caption(image).Text);
    }

    [TestMethod]
    public void ImagesOfAnotherSizeOrPixelOrderCaptionTheSame()
    {
        ImageCaptioningTransformer captioner = CaptionerTestData.Model.LastTransformer;
        using MLImage image = CaptionerTestData.LoadImage(CaptionerTestData.Scenes.Test[2]);
        byte[] rgb = ImagePixels.Read(image, 32, 32, "test");
        int plane = 32 * 32;
        byte[] rgba = new byte[plane * 4], bgra = new byte[plane * 4];
        for (int i = 0; i < plane; i++)
        {
            (rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]) = (rgb[i], rgb[plane + i], rgb[2 * plane + i], 255);
            (bgra[i * 4], bgra[i * 4 + 1], bgra[i * 4 + 2], bgra[i * 4 + 3]) = (rgb[2 * plane + i], rgb[plane + i], rgb[i], 255);
        }

        using MLImage fromRgba = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Rgba32, rgba);
        using MLImage fromBgra = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, bgra);
        CollectionAssert.AreEqual(rgb, ImagePixels.Read(fromRgba, 32, 32, "rgba"));
        CollectionAssert.AreEqual(rgb, ImagePixels.Read(fromBgra, 32, 32, "bgra"));

        // A 64 × 64 copy (each pixel doubled) resizes back to exactly the same pixels, so it captions the same.
        byte[] large = new byte[64 * 64 * 4];
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                Array.Copy(rgba, ((y / 2) * 32 + x / 2) * 4, large, (y * 64 + x) * 4, 4);
            }
        }

        using MLImage fromLarge = MLImage.CreateFromPixels(64, 64, MLPixelFormat.Rgba32, large);
        byte[] resized = ImagePixels.Read(fromLarge, 32, 32, "large");
        CollectionAssert.AreEqual(rgb, resized);
        Assert.AreEqual(captioner.Caption(image).Text, captioner.Caption(fromLarge).Text);
    }

    [TestMethod]
    public void ResizingIsBilinearWithPixelCentresAligned()
    {
        // One row, red 0 then 255, widened to four pixels. Output pixel x samples the source at (x + 0.5) / 2 − 0.5,
        // clamped to [0, 1]: 0, 0.25, 0.75, 1 → 0, 63.75, 191.25, 255; green and blue hold 10 and 20 throughout.
        byte[] source = [0, 10, 20, 255, 255, 10, 20, 255];
        using MLImage image = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Rgba32, source);
        byte[] widened = ImagePixels.Read(image, 4, 1, "test");
        CollectionAssert.AreEqual(new byte[] { 0, 64, 191, 255, 10, 10, 10, 10, 20, 20, 20, 20 }, widened);
    }

    [TestMethod]
    public void WrongColumnsAreNamedAtFitAndTransform()
    {
        var ml = new MLContext(seed: 1);
        ImageCaptionerOptions options = CaptionerTestData.TinyOptions();
        options.LabelColumnName = "Text";
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            CaptionerTestData.Pipeline(ml, options).Fit(CaptionerTestData.TrainingRows(ml, CaptionerTestData.Scenes.Train)));
        StringAssert.Contains(missing.Message, "'Text'");

        options = CaptionerTestData.TinyOptions();
        options.ImageColumnName = "ImagePath";
        var notImage = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            ml.Sequence.Trainers.ImageCaptioner(options).Fit(CaptionerTestData.TrainingRows(ml, CaptionerTestData.Scenes.Train)));
        StringAssert.Contains(notImage.Message, "'ImagePath'");
        StringAssert.Contains(notImage.Message, "image");

        var noImage = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            CaptionerTestData.Model.LastTransformer.Transform(CaptionerTestData.ReferenceRows(ml, CaptionerTestData.Scenes.Test)));
        StringAssert.Contains(noImage.Message, "'Image'");

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.Trainers.ImageCaptioner(new ImageCaptionerOptions { BeamWidth = 0 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.Trainers.ImageCaptioner(new ImageCaptionerOptions { EncoderChannels = [8, 8, 8, 8, 8, 8, 8] }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.Trainers.ImageCaptioner(
            new ImageCaptionerOptions { EarlyStopping = new EarlyStoppingOptions { Metric = ValidationMetric.F1 } }));
    }

    [TestMethod]
    public void CancellationStopsFitAndOneSeedGivesOneModel()
    {
        var ml = new MLContext(seed: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        ImageCaptionerOptions options = CaptionerTestData.TinyOptions();
        options.CancellationToken = cancelled.Token;
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            CaptionerTestData.Pipeline(ml, options).Fit(CaptionerTestData.TrainingRows(ml, CaptionerTestData.Scenes.Train)));

        // A stop request ends training after the current batch and still returns a model.
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        ImageCaptionerOptions stopped = CaptionerTestData.TinyOptions();
        stopped.StopToken = stop.Token;
        using (ImageCaptioningTransformer early = CaptionerTestData.Pipeline(ml, stopped).Fit(CaptionerTestData.TrainingRows(ml, CaptionerTestData.Scenes.Train)).LastTransformer)
        {
            Assert.IsTrue(early.History!.Interrupted);
            Assert.AreEqual(1, early.History.Epochs.Count);
        }

        // Scheduled sampling and the attention penalty on: two fits from seed 11 give the same weights.
        ImageCaptionerOptions seeded = CaptionerTestData.TinyOptions();
        seeded.Seed = 11;
        seeded.MaxEpochs = 1;
        seeded.ScheduledSampling = 0.5;
        seeded.AttentionPenalty = 0.5;
        seeded.EncoderChannels = [4, 8];
        float[] Weights()
        {
            var ctx = new MLContext(seed: 3);
            using ImageCaptioningTransformer captioner = CaptionerTestData.Pipeline(ctx, seeded).Fit(CaptionerTestData.TrainingRows(ctx, CaptionerTestData.Scenes.Train)).LastTransformer;
            return captioner.Network.parameters().SelectMany(p => TensorValues.ToArray<float>(p)).ToArray();
        }

        CollectionAssert.AreEqual(Weights(), Weights());
    }

    [TestMethod]
    public void ScheduledSamplingAndAttentionPenaltyChangeTheLoss()
    {
        ImageCaptionerOptions options = CaptionerTestData.TinyOptions();
        options.Dropout = 0;
        using var network = new CaptionNetwork(12, options, seed: 4);
        network.train();
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        Tensor images = randn([3, 3, 32, 32], generator: generator);
        Tensor inputs = randint(4, 12, [6, 5], ScalarType.Int64, generator: generator);
        Tensor targets = randint(4, 12, [6, 5], ScalarType.Int64, generator: generator);
        Tensor imageOfRow = tensor(new long[] { 0, 0, 1, 1, 2, 2 });
        double plain = network.Loss(images, imageOfRow, inputs, targets, 0, 0).ToDouble();
        Assert.AreEqual(plain, network.Loss(images, imageOfRow, inputs, targets, 0, 0).ToDouble(), 1e-6, "teacher forcing is deterministic");
        double penalised = network.Loss(images, imageOfRow, inputs, targets, 0, 1).ToDouble();
        Assert.IsTrue(penalised > plain + 1, $"Σ_l (1 − Σ_t α)² over 64 regions and 5 steps is large: {penalised} vs {plain}");
        double sampled = network.Loss(images, imageOfRow, inputs, targets, 1, 0).ToDouble();
        Assert.AreNotEqual(plain, sampled, "p = 1 feeds the model's own words from step 2 on");
        // Row 2i and 2i+1 share an image: the shared encoding equals encoding the image twice.
        Tensor duplicated = images.index_select(0, imageOfRow);
        Assert.AreEqual(plain, network.Loss(duplicated, null, inputs, targets, 0, 0).ToDouble(), 1e-3);
    }

    [TestMethod]
    public void EncoderStartsFromALocalSafetensorsFile()
    {
        ImageCaptionerOptions options = CaptionerTestData.TinyOptions();
        using var source = new CaptionNetwork(12, options, seed: 1);
        using var target = new CaptionNetwork(12, options, seed: 2);
        using var temp = new TempDirectory();
        string path = temp.File("encoder.safetensors");
        using (FileStream file = File.Create(path))
        {
            SafeTensorsFile.Write(file, source.Encoder.state_dict());
        }

        EncoderWeights.Load(target.Encoder, path);
        foreach ((string name, Tensor value) in source.Encoder.state_dict())
        {
            Assert.IsTrue(value.to_type(ScalarType.Float64).allclose(target.Encoder.state_dict()[name].to_type(ScalarType.Float64), 0, 0), name);
        }

        Assert.ThrowsExactly<FileNotFoundException>(() => EncoderWeights.Load(target.Encoder, temp.File("missing.safetensors")));
        using var wider = new CaptionNetwork(12, new ImageCaptionerOptions { ImageWidth = 32, ImageHeight = 32, EncoderChannels = [8, 32] }, seed: 3);
        var mismatch = Assert.ThrowsExactly<ArgumentException>(() => EncoderWeights.Load(wider.Encoder, path));
        StringAssert.Contains(mismatch.Message, "shape mismatch");
    }

    private sealed class Prediction
    {
        public string PredictedCaption { get; set; } = "";
    }
}
