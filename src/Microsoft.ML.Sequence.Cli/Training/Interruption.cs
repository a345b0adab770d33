namespace Microsoft.ML.Sequence.Cli.Training;

/// <summary>Ctrl+C during training: the first press asks the trainer to stop after the current batch (it then validates,
/// restores the best weights and returns, so the best model is still written); a second press aborts with nothing
/// written.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Action<string> _notice;

    public Interruption(Action<string> notice)
    {
        _notice = notice;
        Console.CancelKeyPress += OnCancel;
    }

    /// <summary>Stop after the current batch, keep the best model (the trainers' <c>StopToken</c>).</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Abort without a model (the trainers' <c>CancellationToken</c>).</summary>
    public CancellationToken Abort => _abort.Token;

    public bool Requested => _stop.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _stop.Dispose();
        _abort.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _notice("Ctrl+C: stopping after the current batch; the best model so far will be written (Ctrl+C again aborts without a model).");
        }
        else
        {
            _abort.Cancel();
        }
    }
}
