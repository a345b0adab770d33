using System.Globalization;
using Microsoft.ML.Sequence.Estimators.Training;
using Spectre.Console;

namespace Microsoft.ML.Sequence.Cli.Training;

/// <summary>Shows a fit's progress: on a terminal one live bar per epoch (loss, validation metric, rows/s, ETA), else one
/// plain line per report. Reports arrive synchronously on the training thread.</summary>
internal sealed class TrainingView
{
    private readonly Terminal _terminal;
    private readonly string _metricName;
    private ProgressContext? _context;
    private ProgressTask? _epochTask;
    private int _epoch;

    public TrainingView(Terminal terminal, string metricName)
    {
        _terminal = terminal;
        _metricName = metricName;
    }

    /// <summary>Runs <paramref name="fit"/> with the live display around it (or plainly), and returns its result.</summary>
    public T Run<T>(Func<IProgress<TrainingProgress>, T> fit)
    {
        var sink = new Sink(this);
        if (!_terminal.Live)
        {
            return fit(sink);
        }

        return _terminal.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _context = context;
                try
                {
                    return fit(sink);
                }
                finally
                {
                    _epochTask?.StopTask();
                    _context = null;
                }
            });
    }

    /// <summary>A line between the bars (or in the plain log), such as the Ctrl+C notice.</summary>
    public void Notice(string text)
    {
        if (_context is not null)
        {
            _terminal.Out.MarkupLine($"[yellow]{Terminal.Escape(text)}[/]");
        }
        else
        {
            _terminal.Warning(text);
        }
    }

    private void Report(TrainingProgress p)
    {
        string line = Describe(p);
        if (_context is null)
        {
            _terminal.Line((p.Phase == TrainingPhase.EpochEnd ? "epoch end  " : "  ") + line);
            return;
        }

        if (_epochTask is null || p.Epoch != _epoch)
        {
            _epochTask?.StopTask();
            _epoch = p.Epoch;
            _epochTask = _context.AddTask(Terminal.Escape(line), maxValue: Math.Max(p.StepsPerEpoch, 1));
        }

        _epochTask.Description = Terminal.Escape(line);
        _epochTask.Value = p.Step;
        if (p.Phase == TrainingPhase.EpochEnd)
        {
            _epochTask.Value = _epochTask.MaxValue;
            _epochTask.StopTask();
        }
    }

    private string Describe(TrainingProgress p)
    {
        string validation = p.ValidationMetric is double m
            ? string.Create(CultureInfo.InvariantCulture, $"  {_metricName} {m:0.0000}")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.EpochCount}  step {p.Step}/{p.StepsPerEpoch}  loss {p.Loss:0.0000}{validation}  {p.RowsPerSecond:N0} rows/s  ETA {p.EstimatedRemaining:hh\\:mm\\:ss}");
    }

    private sealed class Sink(TrainingView view) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => view.Report(value);
    }
}
