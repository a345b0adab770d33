using System.CommandLine;
using Microsoft.ML.Sequence.Cli.Training;

namespace Microsoft.ML.Sequence.Cli.Tasks;

/// <summary>What <see cref="CliTask.Train"/> gets: the context (seeded), the common settings, the parsed command line for
/// the task's own options, the progress view and Ctrl+C.</summary>
internal sealed record TrainContext(
    MLContext Ml,
    ParseResult Parse,
    string Dataset,
    string? ValidationDataset,
    string LabelColumn,
    int? MaxEpochs,
    int Seed,
    int? HiddenSize,
    int? BatchSize,
    int Patience,
    TrainingView View,
    Interruption Interruption);
