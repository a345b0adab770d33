using System.Collections.Concurrent;

namespace Microsoft.ML.Sequence;

/// <summary>A thread-safe pool of <see cref="SequencePredictor{TInput, TOutput}"/>s for services: each call rents an
/// engine, predicts and returns it, so concurrent requests never share an engine.</summary>
/// <typeparam name="TInput">Input row class.</typeparam>
/// <typeparam name="TOutput">Output row class.</typeparam>
public sealed class SequencePredictorPool<TInput, TOutput> : IDisposable
    where TInput : class
    where TOutput : class, new()
{
    private readonly Func<SequencePredictor<TInput, TOutput>> _factory;
    private readonly ConcurrentBag<SequencePredictor<TInput, TOutput>> _idle = new();
    private readonly int _maxIdle;
    private int _created;
    private bool _disposed;

    /// <summary>A pool that creates engines with <paramref name="factory"/> when none is idle.</summary>
    /// <param name="factory">Creates an engine.</param>
    /// <param name="maxIdle">Most idle engines kept; extra ones are disposed when returned. Default: 2 × processor count.</param>
    public SequencePredictorPool(Func<SequencePredictor<TInput, TOutput>> factory, int? maxIdle = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _maxIdle = maxIdle ?? 2 * Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxIdle, 1, nameof(maxIdle));
    }

    /// <summary>Number of engines created so far.</summary>
    public int CreatedCount => Volatile.Read(ref _created);

    /// <summary>Predicts one row with a rented engine.</summary>
    /// <param name="row">The input.</param>
    /// <returns>A new output object.</returns>
    public TOutput Predict(TInput row) => Use(engine => engine.Predict(row));

    /// <summary>Predicts many rows with one rented engine.</summary>
    /// <param name="rows">The inputs.</param>
    /// <returns>One output per input, in order.</returns>
    public IReadOnlyList<TOutput> PredictBatch(IEnumerable<TInput> rows) => Use(engine => engine.PredictBatch(rows));

    /// <summary>Disposes the idle engines; engines in use are disposed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out SequencePredictor<TInput, TOutput>? engine))
        {
            engine.Dispose();
        }
    }

    private T Use<T>(Func<SequencePredictor<TInput, TOutput>, T> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idle.TryTake(out SequencePredictor<TInput, TOutput>? engine))
        {
            engine = _factory();
            Interlocked.Increment(ref _created);
        }

        try
        {
            return action(engine);
        }
        finally
        {
            if (_disposed || _idle.Count >= _maxIdle)
            {
                engine.Dispose();
            }
            else
            {
                _idle.Add(engine);
            }
        }
    }
}
