using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Modules.Convolution;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

[TestClass]
public sealed class CtcRecognizerTests
{
    private static CtcRecognizerOptions FeatureOptions() => new()
    {
        LabelColumnName = "Text",
        FeaturesColumnName = "Features",
        ConvolutionBlocks = [new ConvolutionBlock(16, 1, 2)],
        HiddenSize = 24,
        LayerCount = 1,
        Dropout = 0,
        MaxEpochs = 14,
        BatchSize = 16,
        LearningRate = 0.01,
        Seed = 3,
        OutputFrameProbabilities = true,
    };

    private static (string[] Texts, float[][] Probabilities) Read(MLContext ml, IDataView scored)
    {
        var texts = scored.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray();
        var probabilities = scored.GetColumn<VBuffer<float>>("FrameProbabilities").Select(v => v.DenseValues().ToArray()).ToArray();
        return (texts, probabilities);
    }

    [TestMethod]
    public void FeatureSequencesAreLearnedAndTheModelRoundTrips()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = CtcSyntheticData.FeatureView(ml, CtcSyntheticData.Labels(320, seed: 1), seed: 2);
        IDataView test = CtcSyntheticData.FeatureView(ml, CtcSyntheticData.Labels(60, seed: 5), seed: 6);
        CtcRecognizerOptions options = FeatureOptions();
        int reports = 0;
        options.Progress = new SynchronousProgress(() => reports++);
        using var stop = new CancellationTokenSource();
        options.StopToken = stop.Token;
        CtcRecognitionTransformer model = ml.Sequence.Trainers.CtcRecognizer(options).Fit(train);

        Assert.IsTrue(reports > 0, "progress was reported");
        Assert.IsNull(model.Options.Progress, "the model keeps no training-only settings");
        Assert.IsFalse(model.Options.StopToken.CanBeCanceled, "the model keeps no training-only settings");
        Assert.AreEqual(CtcSyntheticData.Alphabet, model.Alphabet);
        IDataView scored = model.Transform(test);
        RecognitionMetrics metrics = ml.Sequence.EvaluateRecognition(scored, labelColumnName: "Text", predictedTextColumnName: "PredictedText");
        Assert.IsTrue(metrics.CharacterErrorRate < 0.1, $"test CER {metrics.CharacterErrorRate}");
        Assert.IsTrue(model.History!.Epochs[^1].TrainingLoss < model.History.Epochs[0].TrainingLoss / 3, "the CTC loss fell by less than 3×");

        (string[] texts, float[][] probabilities) = Read(ml, scored);
        float[] first = probabilities[0];
        Assert.AreEqual(0, first.Length % (CtcSyntheticData.Alphabet.Length + 1));
        for (int t = 0; t < first.Length; t += 5)
        {
            Assert.AreEqual(1.0, first.AsSpan(t, 5).ToArray().Sum(), 1e-4, "each frame's probabilities sum to 1");
        }

        using var temp = new TempDirectory();
        string path = temp.File("ctc.zip");
        ml.Model.Save(model, train.Schema, path);
        var fresh = new MLContext(seed: 9);
        ITransformer loaded = fresh.Model.Load(path, out _);
        (string[] loadedTexts, float[][] loadedProbabilities) = Read(fresh, loaded.Transform(test));
        CollectionAssert.AreEqual(texts, loadedTexts);
        for (int i = 0; i < probabilities.Length; i++)
        {
            CollectionAssert.AreEqual(probabilities[i], loadedProbabilities[i]);
        }

        var engine = fresh.Model.CreatePredictionEngine<CtcSyntheticData.FeatureRow, TextPrediction>(loaded,
            inputSchemaDefinition: FeatureSchema());
        var one = new CtcSyntheticData.FeatureRow { Text = "", Features = test.GetColumn<float[]>("Features").First() };
        Assert.AreEqual(texts[0], engine.Predict(one).PredictedText);
    }

    [TestMethod]
    public void BeamSearchWithTheLanguageModelRoundTripsAndWidthOneIsBestPath()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = CtcSyntheticData.FeatureView(ml, CtcSyntheticData.Labels(320, seed: 1), seed: 2);
        IDataView test = CtcSyntheticData.FeatureView(ml, CtcSyntheticData.Labels(40, seed: 5), seed: 6);
        CtcRecognizerOptions options = FeatureOptions();
        options.BeamWidth = 8;
        options.TopK = 3;
        options.LanguageModelOrder = 3;
        options.LanguageModelWeight = 0.3;
        using CtcRecognitionTransformer model = ml.Sequence.Trainers.CtcRecognizer(options).Fit(train);
        Assert.IsNotNull(model.LanguageModel);
        Assert.AreEqual(3, model.LanguageModel.Order);

        IDataView scored = model.Transform(test);
        string[] texts = scored.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray();
        string[][] hypotheses = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("Hypotheses").Select(v => v.DenseValues().Select(t => t.ToString()).ToArray()).ToArray();
        float[][] scores = scored.GetColumn<VBuffer<float>>("HypothesisScores").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.AreEqual(texts[i], hypotheses[i][0]);
            Assert.AreEqual(hypotheses[i].Length, scores[i].Length);
            Assert.IsTrue(scores[i].Zip(scores[i].Skip(1)).All(p => p.First >= p.Second), "scores are best first");
        }

        using var temp = new TempDirectory();
        string path = temp.File("ctc-lm.zip");
        ml.Model.Save(model, train.Schema, path);
        ITransformer loaded = new MLContext(seed: 2).Model.Load(path, out _);
        var loadedRecognizer = (CtcRecognitionTransformer)loaded;
        Assert.AreEqual(model.LanguageModel.LineLogProbability("abca"), loadedRecognizer.LanguageModel!.LineLogProbability("abca"), 1e-12);
        IDataView reloaded = loaded.Transform(test);
        CollectionAssert.AreEqual(texts, reloaded.GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray());
        float[][] reloadedScores = reloaded.GetColumn<VBuffer<float>>("HypothesisScores").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            CollectionAssert.AreEqual(scores[i], reloadedScores[i]);
        }

        using CtcRecognitionTransformer greedy = model.WithDecoding(beamWidth: 1, languageModelWeight: 0, insertionBonus: 0);
        float[][] frames = greedy.Transform(test).GetColumn<VBuffer<float>>("FrameProbabilities").Select(v => v.DenseValues().ToArray()).ToArray();
        string[] greedyTexts = greedy.Transform(test).GetColumn<ReadOnlyMemory<char>>("PredictedText").Select(t => t.ToString()).ToArray();
        for (int i = 0; i < frames.Length; i++)
        {
            float[] logs = frames[i].Select(f => MathF.Log(f)).ToArray();
            Assert.AreEqual(CtcBestPathDecoder.Decode(logs, model.Alphabet), greedyTexts[i]);
        }
    }

    [TestMethod]
    public void TextLineImagesAreLearnedThroughLoadImages()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        string testFolder = Directory.CreateDirectory(temp.File("test")).FullName;
        var trainRows = CtcSyntheticData.WriteImages(temp.Path, CtcSyntheticData.Labels(240, seed: 11, maxLength: 4), seed: 12);
        var testRows = CtcSyntheticData.WriteImages(testFolder, CtcSyntheticData.Labels(40, seed: 13, maxLength: 4), seed: 14);

        var options = new CtcRecognizerOptions
        {
            LabelColumnName = "Text",
            ImageColumnName = "Image",
            ImageHeight = 16,
            ConvolutionBlocks = [new ConvolutionBlock(8, 2, 2), new ConvolutionBlock(16, 2, 1)],
            HiddenSize = 24,
            LayerCount = 1,
            Dropout = 0,
            MaxEpochs = 12,
            BatchSize = 16,
            LearningRate = 0.01,
            Seed = 4,
        };
        var pipeline = ml.Transforms.LoadImages("Image", imageFolder: temp.Path, inputColumnName: "ImagePath")
            .Append(ml.Sequence.Trainers.CtcRecognizer(options));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(trainRows));
        var testPipeline = ml.Transforms.LoadImages("Image", imageFolder: testFolder, inputColumnName: "ImagePath")
            .Fit(ml.Data.LoadFromEnumerable(testRows)).Append(model.LastTransformer);
        IDataView scored = testPipeline.Transform(ml.Data.LoadFromEnumerable(testRows));
        RecognitionMetrics metrics = ml.Sequence.EvaluateRecognition(scored, labelColumnName: "Text", predictedTextColumnName: "PredictedText");
        Assert.IsTrue(metrics.CharacterErrorRate < 0.1, $"test CER {metrics.CharacterErrorRate}");
    }

    [TestMethod]
    public void ACharacterOutsideAFixedAlphabetNamesTheRowAndCharacter()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = CtcSyntheticData.FeatureView(ml, ["ab", "cd", "ba", "da"], seed: 2);
        CtcRecognizerOptions options = FeatureOptions();
        options.Alphabet = "abc";
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Sequence.Trainers.CtcRecognizer(options).Fit(train));
        StringAssert.Contains(error.Message, "row 1");
        StringAssert.Contains(error.Message, "'d'");
    }

    [TestMethod]
    public void AnInputShorterThanItsLabelNamesTheRow()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new CtcSyntheticData.FeatureRow { Text = "ab", Features = CtcSyntheticData.Features("ab", new Random(1)) },
            new CtcSyntheticData.FeatureRow { Text = "abcdabcd", Features = new float[3 * CtcSyntheticData.FeatureSize] },
        };
        IDataView train = ml.Data.LoadFromEnumerable(rows, FeatureSchema());
        var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Sequence.Trainers.CtcRecognizer(FeatureOptions()).Fit(train));
        StringAssert.Contains(error.Message, "row 1");
        StringAssert.Contains(error.Message, "fewer than its label's 8 characters");
    }

    [TestMethod]
    public void RowsThatNeedABlankBetweenRepeatsTheyHaveNoFrameForAreCountedAndTrainingGoesOn()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new CtcSyntheticData.FeatureRow { Text = "ab", Features = CtcSyntheticData.Features("ab", new Random(1)) },
            // "aa" in exactly 2 frames: long enough for its 2 characters, but CTC needs a blank between them (3 frames).
            new CtcSyntheticData.FeatureRow { Text = "aa", Features = new float[2 * CtcSyntheticData.FeatureSize] },
            new CtcSyntheticData.FeatureRow { Text = "ba", Features = CtcSyntheticData.Features("ba", new Random(2)) },
        };
        CtcRecognizerOptions options = FeatureOptions();
        options.ConvolutionBlocks = [];
        options.ValidationFraction = 0;
        options.MaxEpochs = 2;
        using CtcRecognitionTransformer model = ml.Sequence.Trainers.CtcRecognizer(options).Fit(ml.Data.LoadFromEnumerable(rows, FeatureSchema()));
        Assert.AreEqual(1, model.InfeasibleTrainingRows);
        Assert.IsTrue(model.History!.Epochs.All(e => double.IsFinite(e.TrainingLoss)), "the infinite loss is zeroed, not propagated");
    }

    [TestMethod]
    public void AFeaturesColumnThatIsNotTwoDimensionalIsRejectedByName()
    {
        var ml = new MLContext(seed: 1);
        IDataView flat = ml.Data.LoadFromEnumerable(new[] { new CtcSyntheticData.FeatureRow { Text = "a", Features = new float[6] } });
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.Trainers.CtcRecognizer(labelColumnName: "Text", featuresColumnName: "Features").Fit(flat));
        StringAssert.Contains(error.Message, "'Features'");
        StringAssert.Contains(error.Message, "[T, F]");
    }

    private static SchemaDefinition FeatureSchema()
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(CtcSyntheticData.FeatureRow));
        schema[nameof(CtcSyntheticData.FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 0, CtcSyntheticData.FeatureSize);
        return schema;
    }

    public sealed class TextPrediction
    {
        public string PredictedText { get; set; } = "";
    }

    private sealed class SynchronousProgress(Action report) : IProgress<Microsoft.ML.Sequence.Estimators.Training.TrainingProgress>
    {
        public void Report(Microsoft.ML.Sequence.Estimators.Training.TrainingProgress value) => report();
    }
}
