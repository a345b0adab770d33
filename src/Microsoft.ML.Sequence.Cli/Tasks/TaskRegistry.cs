namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>Every task mlseq knows. Adding a task (CTC recognition, image captioning) is one <see cref="CliTask"/>
/// subclass and one entry here.</summary>
internal static class TaskRegistry
{
    public static IReadOnlyList<CliTask> All { get; } = [new TextClassificationTask(), new SequenceTaggingTask(), new CtcRecognitionTask(), new ImageCaptioningTask()];

    /// <summary>The task of a loaded model, or an error naming the tasks mlseq knows.</summary>
    public static CliTask ForModel(ITransformer model, string path) =>
        All.FirstOrDefault(t => t.Owns(model)) ?? throw new CliException(
            $"{path} holds no model of a task mlseq knows ({string.Join(", ", All.Select(t => t.Name))}).");
}
