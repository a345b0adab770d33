using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

/// <summary><c>LoadAudio</c> and <c>LogMelSpectrogram</c> as ML.NET transforms: schemas, laziness, prediction engines,
/// model.zip round trips, and errors that name the row, column and file.</summary>
[TestClass]
public sealed class AudioTransformsTests
{
    private sealed class Clip
    {
        public string AudioPath { get; set; } = "";
    }

    private sealed class FeatureRow
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }

    // Three files in three encodings and rates: 16-bit mono 16 kHz, 8-bit stereo 8 kHz, 24-bit mono 22.05 kHz.
    private static string[] WriteClips(TempDirectory temp)
    {
        System.IO.File.WriteAllBytes(temp.File("a.wav"), TestWav.Mono16(TestWav.Sine(500, 16000, 8000), 16000));
        byte[] stereo8 = TestWav.Sine(1000, 8000, 3000).SelectMany(s => new[] { (byte)(128 + (s * 100)), (byte)(128 + (s * 100)) }).ToArray();
        System.IO.File.WriteAllBytes(temp.File("b.wav"), TestWav.Riff(TestWav.Format(1, 2, 8000, 8), TestWav.Chunk("data", stereo8)));
        byte[] mono24 = TestWav.Sine(2000, 22050, 5000).SelectMany(s =>
        {
            int v = (int)(s * 8388607);
            return new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16) };
        }).ToArray();
        System.IO.File.WriteAllBytes(temp.File("c.wav"), TestWav.Riff(TestWav.Format(1, 1, 22050, 24), TestWav.Chunk("data", mono24)));
        return ["a.wav", "b.wav", "c.wav"];
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string folder) =>
        ml.Transforms.LoadAudio("Audio", audioFolder: folder, inputColumnName: "AudioPath")
            .Append(ml.Transforms.LogMelSpectrogram("Features", inputColumnName: "Audio", melBands: 24));

    private static float[][] Column(IDataView view, string name) =>
        view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    [TestMethod]
    public void PipelineGivesSamplesAtOneRateAndFramesOfMelBands()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        IDataView data = ml.Data.LoadFromEnumerable(WriteClips(temp).Select(p => new Clip { AudioPath = p }));
        ITransformer model = Pipeline(ml, temp.Path).Fit(data);
        IDataView output = model.Transform(data);

        DataViewSchema.Column audio = output.Schema["Audio"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single), audio.Type);
        int rate = 0;
        audio.Annotations.GetValue("SampleRate", ref rate);
        Assert.AreEqual(16000, rate);
        var features = (VectorDataViewType)output.Schema["Features"].Type;
        CollectionAssert.AreEqual(new[] { 0, 24 }, features.Dimensions.ToArray());
        Assert.AreEqual(NumberDataViewType.Single, features.ItemType);

        float[][] samples = Column(output, "Audio");
        CollectionAssert.AreEqual(new[] { 8000, 6000, (int)Math.Ceiling(5000 * 16000 / 22050.0) }, samples.Select(s => s.Length).ToArray());
        // The 8-bit stereo clip: both channels equal, so the mix is the channel; doubled in rate by the sinc filter.
        Assert.AreEqual(100 * Math.Sin(2 * Math.PI * 1000 * 1000 / 16000.0) / 128, samples[1][1000], 0.02);

        float[][] frames = Column(output, "Features");
        var logMel = ((IEnumerable<ITransformer>)model).OfType<LogMelSpectrogramTransformer>().Single();
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(logMel.FrameCount(samples[i].Length) * 24, frames[i].Length);
            CollectionAssert.AreEqual(logMel.Compute([samples[i]])[0], frames[i], $"row {i}");
        }
    }

    [TestMethod]
    public void EstimatorSchemaShapeAnnouncesBothColumns()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new Clip { AudioPath = "x.wav" } });
        SchemaShape shape = Pipeline(ml, "/nowhere").GetOutputSchema(SchemaShape.Create(data.Schema));
        SchemaShape.Column audio = shape.Single(c => c.Name == "Audio");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, audio.Kind);
        Assert.IsTrue(audio.Annotations.Any(a => a.Name == "SampleRate" && a.ItemType == NumberDataViewType.Int32));
        SchemaShape.Column features = shape.Single(c => c.Name == "Features");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, features.Kind);
        Assert.AreEqual(NumberDataViewType.Single, features.ItemType);
    }

    [TestMethod]
    public void SavedPipelineLoadsInAFreshContextWithItsOptionsAndSameFeatures()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        IDataView data = ml.Data.LoadFromEnumerable(WriteClips(temp).Select(p => new Clip { AudioPath = p }));
        var pipeline = ml.Transforms.LoadAudio(new AudioLoadingOptions { AudioFolder = temp.Path, SampleRate = 8000 })
            .Append(ml.Transforms.LogMelSpectrogram(new LogMelSpectrogramOptions
            {
                MelBands = 16, WindowLength = 200, HopLength = 80, FftSize = 256, LogFloor = 1e-6, MinFrequency = 50,
                MaxFrequency = 3800, Window = SpectrogramWindow.Hamming, Normalization = SpectrogramNormalization.UtteranceMean,
            }));
        ITransformer model = pipeline.Fit(data);
        float[][] expected = Column(model.Transform(data), "Features");
        string path = temp.File("model.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 5);
        ITransformer loaded = fresh.Model.Load(path, out DataViewSchema schema);
        Assert.AreEqual("AudioPath", schema[0].Name);
        float[][] actual = Column(loaded.Transform(fresh.Data.LoadFromEnumerable(WriteClips(temp).Select(p => new Clip { AudioPath = p }))), "Features");
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}");
        }

        var transforms = ((IEnumerable<ITransformer>)loaded).ToArray();
        AudioLoadingOptions audio = ((AudioLoadingTransformer)transforms[0]).Options;
        Assert.AreEqual(temp.Path, audio.AudioFolder);
        Assert.AreEqual(8000, audio.SampleRate);
        LogMelSpectrogramOptions mel = ((LogMelSpectrogramTransformer)transforms[1]).Options;
        Assert.AreEqual((16, 200, 80, 256, 1e-6, 50.0, 3800.0, SpectrogramWindow.Hamming, 8000, SpectrogramNormalization.UtteranceMean),
            (mel.MelBands, mel.WindowLength, mel.HopLength, mel.FftSize, mel.LogFloor, mel.MinFrequency, mel.MaxFrequency!.Value, mel.Window,
                mel.SampleRate!.Value, mel.Normalization));
    }

    [TestMethod]
    public void SavedPipelineLoadsInAChildProcessWithTheSameFeatures()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        IDataView data = ml.Data.LoadFromEnumerable(WriteClips(temp).Select(p => new Clip { AudioPath = p }));
        ITransformer model = Pipeline(ml, temp.Path).Fit(data);
        string path = temp.File("model.zip");
        ml.Model.Save(model, data.Schema, path);
        string expected = AudioScoring.Score(ml, model);
        Assert.IsGreaterThan(1000, expected.Length);
        Assert.AreEqual(expected, Microsoft.ML.Sequence.Tests.MlNet.ModelRoundTripTests.ScoreInChildProcess(path, scorer: "audio"));
    }

    [TestMethod]
    public void PredictionEngineGivesTheSameFeaturesAsTransform()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        string[] clips = WriteClips(temp);
        IDataView data = ml.Data.LoadFromEnumerable(clips.Select(p => new Clip { AudioPath = p }));
        ITransformer model = Pipeline(ml, temp.Path).Fit(data);
        float[][] batched = Column(model.Transform(data), "Features");
        using var engine = ml.Model.CreatePredictionEngine<Clip, FeatureRow>(model);
        for (int i = 0; i < clips.Length; i++)
        {
            CollectionAssert.AreEqual(batched[i], engine.Predict(new Clip { AudioPath = clips[i] }).Features, $"row {i}");
        }
    }

    [TestMethod]
    public void BadFilesAndPathsNameTheRowColumnAndFile()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        WriteClips(temp);
        System.IO.File.WriteAllText(temp.File("text.wav"), "not audio at all");
        IDataView data = ml.Data.LoadFromEnumerable(new[] { "a.wav", "text.wav" }.Select(p => new Clip { AudioPath = p }));
        ITransformer model = Pipeline(ml, temp.Path).Fit(data);
        var format = Assert.ThrowsExactly<AudioFormatException>(() => Column(model.Transform(data), "Features"));
        StringAssert.Contains(format.Message, "row 1, column 'AudioPath'");
        StringAssert.Contains(format.Message, temp.File("text.wav"));
        StringAssert.Contains(format.Message, "not a RIFF file");

        IDataView missing = ml.Data.LoadFromEnumerable(new[] { "a.wav", "b.wav", "gone.wav" }.Select(p => new Clip { AudioPath = p }));
        var notFound = Assert.ThrowsExactly<FileNotFoundException>(() => Column(model.Transform(missing), "Audio"));
        StringAssert.Contains(notFound.Message, "row 2, column 'AudioPath'");
        Assert.AreEqual(temp.File("gone.wav"), notFound.FileName);

        IDataView empty = ml.Data.LoadFromEnumerable(new[] { new Clip { AudioPath = "" } });
        var blank = Assert.ThrowsExactly<ArgumentException>(() => Column(model.Transform(empty), "Audio"));
        StringAssert.Contains(blank.Message, "row 0, column 'AudioPath': the path is empty");
    }

    [TestMethod]
    public void WrongColumnsAreSchemaErrors()
    {
        var ml = new MLContext(seed: 1);
        IDataView numbers = ml.Data.LoadFromEnumerable(new[] { new { AudioPath = 3f } });
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio("Audio", null, "AudioPath").Fit(numbers));
        StringAssert.Contains(wrongType.Message, "Schema mismatch for path column 'AudioPath': expected Text");
        var absent = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LoadAudio("Audio", null, "Path").Fit(numbers));
        StringAssert.Contains(absent.Message, "Could not find path column 'Path'");

        // A vector of samples with no SampleRate annotation needs the rate in the options.
        IDataView samples = ml.Data.LoadFromEnumerable(new[] { new FeatureRow { Features = TestWav.Sine(440, 16000, 1000) } });
        var noRate = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LogMelSpectrogram("Mel", "Features").Fit(samples));
        StringAssert.Contains(noRate.Message, "no SampleRate annotation");
        var withRate = ml.Transforms.LogMelSpectrogram(new LogMelSpectrogramOptions { InputColumnName = "Features", OutputColumnName = "Mel", SampleRate = 16000 })
            .Fit(samples);
        Assert.AreEqual(withRate.FrameCount(1000) * 80, Column(withRate.Transform(samples), "Mel")[0].Length);
        var notVector = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.LogMelSpectrogram("Mel", "AudioPath").Fit(numbers));
        StringAssert.Contains(notVector.Message, "expected Vector<Single>");
    }

    [TestMethod]
    public void LogMelFittedForOneRateRejectsAudioAnnotatedWithAnother()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        IDataView data = ml.Data.LoadFromEnumerable(WriteClips(temp).Select(p => new Clip { AudioPath = p }));
        LogMelSpectrogramTransformer logMel = ml.Transforms.LogMelSpectrogram("Features", "Audio")
            .Fit(ml.Transforms.LoadAudio("Audio", temp.Path, "AudioPath").Fit(data).Transform(data));
        IDataView at8k = ml.Transforms.LoadAudio("Audio", temp.Path, "AudioPath", sampleRate: 8000).Fit(data).Transform(data);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => logMel.Transform(at8k));
        StringAssert.Contains(e.Message, "8000 Hz");
        StringAssert.Contains(e.Message, "16000 Hz");
    }

    [TestMethod]
    public void FilesAreReadOnlyWhenTheSamplesAreNeeded()
    {
        var ml = new MLContext(seed: 1);
        using var temp = new TempDirectory();
        IDataView data = ml.Data.LoadFromEnumerable(new[] { "absent1.wav", "absent2.wav" }.Select(p => new Clip { AudioPath = p }));
        ITransformer model = Pipeline(ml, temp.Path).Fit(data);
        // Reading only the path column never opens a file, so the missing files do not matter.
        CollectionAssert.AreEqual(new[] { "absent1.wav", "absent2.wav" },
            model.Transform(data).GetColumn<string>("AudioPath").ToArray());
    }
}
