using System.Collections;

namespace Microsoft.ML.Sequence.Data;

/// <summary>Transformers applied one after another; what a <see cref="SequenceEstimatorChain{TLast}"/> fits to.</summary>
/// <typeparam name="TLast">Type of the last transformer.</typeparam>
/// <remarks>Disposing the chain disposes every transformer in it that is <see cref="IDisposable"/>.</remarks>
public sealed class SequenceTransformerChain<TLast> : ISequenceTransformer, IReadOnlyList<ISequenceTransformer>, IDisposable
    where TLast : class, ISequenceTransformer
{
    private readonly ISequenceTransformer[] _transformers;

    /// <summary>A chain of <paramref name="transformers"/>; the last one must be a <typeparamref name="TLast"/>.</summary>
    /// <param name="transformers">At least one transformer.</param>
    public SequenceTransformerChain(IEnumerable<ISequenceTransformer> transformers)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        _transformers = transformers.ToArray();
        if (_transformers.Length == 0)
        {
            throw new ArgumentException("A chain needs at least one transformer.", nameof(transformers));
        }

        LastTransformer = _transformers[^1] as TLast ?? throw new ArgumentException(
            $"The last transformer is {_transformers[^1].GetType().Name}, not {typeof(TLast).Name}.", nameof(transformers));
    }

    /// <summary>The last transformer (usually the model).</summary>
    public TLast LastTransformer { get; }

    /// <summary>Number of transformers.</summary>
    public int Count => _transformers.Length;

    /// <summary>The transformer at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based position.</param>
    /// <returns>The transformer.</returns>
    public ISequenceTransformer this[int index] => _transformers[index];

    /// <summary>A longer chain ending with <paramref name="next"/>.</summary>
    /// <typeparam name="TNext">Type of the appended transformer.</typeparam>
    /// <param name="next">Transformer to apply after this chain.</param>
    /// <returns>The new chain; this one is unchanged.</returns>
    public SequenceTransformerChain<TNext> Append<TNext>(TNext next)
        where TNext : class, ISequenceTransformer =>
        new(_transformers.Append(next ?? throw new ArgumentNullException(nameof(next))));

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        SequenceSchema schema = inputSchema;
        foreach (ISequenceTransformer transformer in _transformers)
        {
            schema = transformer.GetOutputSchema(schema);
        }

        return schema;
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        ISequenceDataView view = input;
        foreach (ISequenceTransformer transformer in _transformers)
        {
            view = transformer.Transform(view);
        }

        return view;
    }

    /// <summary>Disposes every transformer that is <see cref="IDisposable"/>.</summary>
    public void Dispose()
    {
        foreach (ISequenceTransformer transformer in _transformers)
        {
            (transformer as IDisposable)?.Dispose();
        }
    }

    /// <inheritdoc/>
    public IEnumerator<ISequenceTransformer> GetEnumerator() => ((IEnumerable<ISequenceTransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
