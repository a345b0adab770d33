using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Sends every training report to <c>mlContext.Log</c> (epoch ends as information, steps as trace) and to the
/// caller's <see cref="IProgress{T}"/>, if any.</summary>
internal sealed class LoggedProgress : IProgress<TrainingProgress>
{
    private readonly MlNetLog _log;
    private readonly IProgress<TrainingProgress>? _next;

    public LoggedProgress(MlNetLog log, IProgress<TrainingProgress>? next)
    {
        _log = log;
        _next = next;
    }

    public void Report(TrainingProgress value)
    {
        if (value.Phase == TrainingPhase.EpochEnd)
        {
            _log.Info(value.ToString());
        }
        else
        {
            _log.Trace(value.ToString());
        }

        _next?.Report(value);
    }
}
