using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Synthetic;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Tests.Estimators.ImageCaptioning;

/// <summary>Tiny synthetic scenes (32 × 32) and a tiny captioner fitted once for the tests that only read a model.</summary>
internal static class CaptionerTestData
{
    private static readonly Lazy<SyntheticSceneSet> LazyScenes = new(() => SyntheticScenes.Generate(
        Path.Combine(Path.GetTempPath(), $"mls-tests-scenes-{Environment.ProcessId}"),
        new SyntheticSceneOptions { ImageSize = 32, TrainCount = 48, ValidationCount = 8, TestCount = 8, HeldOutCount = 4, Seed = 3 }));

    private static readonly Lazy<(TransformerChain<ImageCaptioningTransformer> Model, List<TrainingProgress> Reports)> LazyFitted = new(() =>
    {
        var ml = new MLContext(seed: 5);
        var reports = new List<TrainingProgress>();
        ImageCaptionerOptions options = TinyOptions();
        options.Progress = new Collect(reports);
        var model = Pipeline(ml, options).Fit(TrainingRows(ml, Scenes.Train));
        return (model, reports);
    });

    public static SyntheticSceneSet Scenes => LazyScenes.Value;

    public static TransformerChain<ImageCaptioningTransformer> Model => LazyFitted.Value.Model;

    public static IReadOnlyList<TrainingProgress> Reports => LazyFitted.Value.Reports;

    public static ImageCaptionerOptions TinyOptions() => new()
    {
        ImageWidth = 32,
        ImageHeight = 32,
        EncoderChannels = [8, 16],
        EmbeddingSize = 16,
        HiddenSize = 32,
        AttentionSize = 16,
        MaxEpochs = 2,
        BatchSize = 32,
        MaxCaptionLength = 10,
        ReportEvery = 2,
        LabelColumnName = "Caption",
        ImageColumnName = "Image",
    };

    public static IEstimator<TransformerChain<ImageCaptioningTransformer>> Pipeline(MLContext ml, ImageCaptionerOptions options) =>
        ml.Transforms.LoadImages("Image", imageFolder: Scenes.Folder, inputColumnName: "ImagePath")
            .Append(ml.Sequence.Trainers.ImageCaptioner(options));

    public static IDataView TrainingRows(MLContext ml, IEnumerable<SceneImage> scenes) =>
        ml.Data.LoadFromEnumerable(scenes.SelectMany(s => s.Captions.Select(c => new CaptionRow { ImagePath = s.FileName, Caption = c })).ToList());

    public static IDataView ReferenceRows(MLContext ml, IEnumerable<SceneImage> scenes) =>
        ml.Data.LoadFromEnumerable(scenes.Select(s => new ReferenceRow { ImagePath = s.FileName, References = s.Captions.ToArray() }).ToList());

    public static MLImage LoadImage(SceneImage scene) => MLImage.CreateFromFile(Path.Combine(Scenes.Folder, scene.FileName));

    internal sealed class CaptionRow
    {
        public string ImagePath { get; set; } = "";

        public string Caption { get; set; } = "";
    }

    internal sealed class ReferenceRow
    {
        public string ImagePath { get; set; } = "";

        public string[] References { get; set; } = [];
    }

    private sealed class Collect(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
