namespace Microsoft.ML.Sequence.Data;

/// <summary>Estimators fitted one after another, each on the output of the transformers before it.</summary>
/// <typeparam name="TLast">Type of the transformer the last estimator produces.</typeparam>
public sealed class SequenceEstimatorChain<TLast> : ISequenceEstimator<SequenceTransformerChain<TLast>>
    where TLast : class, ISequenceTransformer
{
    private readonly ISequenceEstimator<ISequenceTransformer>[] _estimators;

    /// <summary>A chain of <paramref name="estimators"/>; the last must produce a <typeparamref name="TLast"/>.</summary>
    /// <param name="estimators">At least one estimator.</param>
    public SequenceEstimatorChain(IEnumerable<ISequenceEstimator<ISequenceTransformer>> estimators)
    {
        ArgumentNullException.ThrowIfNull(estimators);
        _estimators = estimators.ToArray();
        if (_estimators.Length == 0)
        {
            throw new ArgumentException("A chain needs at least one estimator.", nameof(estimators));
        }

        if (_estimators[^1] is not ISequenceEstimator<TLast>)
        {
            throw new ArgumentException($"The last estimator does not produce {typeof(TLast).Name}.", nameof(estimators));
        }
    }

    /// <summary>The estimators, in order.</summary>
    public IReadOnlyList<ISequenceEstimator<ISequenceTransformer>> Estimators => _estimators;

    /// <summary>A longer chain ending with <paramref name="next"/>.</summary>
    /// <typeparam name="TNext">Transformer type of the appended estimator.</typeparam>
    /// <param name="next">Estimator to fit after this chain.</param>
    /// <returns>The new chain; this one is unchanged.</returns>
    public SequenceEstimatorChain<TNext> Append<TNext>(ISequenceEstimator<TNext> next)
        where TNext : class, ISequenceTransformer =>
        new(_estimators.Append(next ?? throw new ArgumentNullException(nameof(next))));

    /// <summary>Fits each estimator in turn on the output of the transformers fitted before it.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The chain of fitted transformers.</returns>
    public SequenceTransformerChain<TLast> Fit(ISequenceDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fitted = new List<ISequenceTransformer>(_estimators.Length);
        ISequenceDataView view = input;
        try
        {
            for (int i = 0; i < _estimators.Length; i++)
            {
                ISequenceTransformer transformer = _estimators[i].Fit(view);
                fitted.Add(transformer);
                if (i + 1 < _estimators.Length)
                {
                    view = transformer.Transform(view);
                }
            }
        }
        catch
        {
            foreach (ISequenceTransformer transformer in fitted)
            {
                (transformer as IDisposable)?.Dispose();
            }

            throw;
        }

        return new SequenceTransformerChain<TLast>(fitted);
    }

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        SequenceSchema schema = inputSchema;
        foreach (ISequenceEstimator<ISequenceTransformer> estimator in _estimators)
        {
            schema = estimator.GetOutputSchema(schema);
        }

        return schema;
    }
}
