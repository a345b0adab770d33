using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Audio;

/// <summary>The audio recognition chain of issue 10, LoadAudio → LogMelSpectrogram → CtcRecognizer, fitted on a few
/// tone sequences and saved in one model.zip: the loaded chain reads the same files to the same text and frame
/// probabilities.</summary>
[TestClass]
public sealed class AudioRecognitionPipelineTests
{
    private sealed class Clip
    {
        public string AudioPath { get; set; } = "";

        public string Text { get; set; } = "";
    }

    // Each letter is 0.12 s of its own tone, letters separated by 0.04 s of silence.
    private static float[] Tones(string text, int rate)
    {
        var samples = new List<float>();
        foreach (char letter in text)
        {
            samples.AddRange(TestWav.Sine(letter == 'a' ? 600 : 2400, rate, rate * 12 / 100, amplitude: 0.4));
            samples.AddRange(new float[rate * 4 / 100]);
        }

        return samples.ToArray();
    }

    [TestMethod]
    public void ChainSavesAndLoadsWithSameTextAndProbabilities()
    {
        var ml = new MLContext(seed: 3);
        using var temp = new TempDirectory();
        string[] texts = ["ab", "ba", "aab", "bba", "abab", "b", "a", "bab"];
        var clips = texts.Select((t, i) =>
        {
            string name = $"clip{i}.wav";
            // Half the files at 8 kHz, so LoadAudio's resampler is part of the saved chain.
            int rate = i % 2 == 0 ? 16000 : 8000;
            System.IO.File.WriteAllBytes(temp.File(name), TestWav.Mono16(Tones(t, rate), rate));
            return new Clip { AudioPath = name, Text = t };
        }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(clips);
        var pipeline = ml.Transforms.LoadAudio("Audio", audioFolder: temp.Path, inputColumnName: "AudioPath")
            .Append(ml.Transforms.LogMelSpectrogram("Features", inputColumnName: "Audio", melBands: 16))
            .Append(ml.Sequence.Trainers.CtcRecognizer(new CtcRecognizerOptions
            {
                LabelColumnName = "Text", FeaturesColumnName = "Features", HiddenSize = 8, LayerCount = 1, MaxEpochs = 2, BatchSize = 4,
                ValidationFraction = 0, EarlyStopping = null, OutputFrameProbabilities = true,
            }));
        var model = pipeline.Fit(data);
        string[] predicted = model.Transform(data).GetColumn<string>("PredictedText").ToArray();
        float[][] probabilities = model.Transform(data).GetColumn<float[]>("FrameProbabilities").ToArray();
        string path = temp.File("asr.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 11);
        ITransformer loaded = fresh.Model.Load(path, out _);
        IDataView again = loaded.Transform(fresh.Data.LoadFromEnumerable(clips));
        CollectionAssert.AreEqual(predicted, again.GetColumn<string>("PredictedText").ToArray());
        float[][] reloaded = again.GetColumn<float[]>("FrameProbabilities").ToArray();
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.IsNotEmpty(reloaded[i]);
            CollectionAssert.AreEqual(probabilities[i], reloaded[i], $"row {i}");
        }

        (loaded as IDisposable)?.Dispose();
        ((IEnumerable<ITransformer>)model).OfType<IDisposable>().ToList().ForEach(d => d.Dispose());
    }
}
