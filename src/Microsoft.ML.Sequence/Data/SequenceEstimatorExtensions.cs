namespace Microsoft.ML.Sequence.Data;

/// <summary><c>Append</c> for composing estimators into chains (transformer chains use
/// <see cref="SequenceTransformerChain{TLast}.Append{TNext}(TNext)"/>).</summary>
public static class SequenceEstimatorExtensions
{
    /// <summary>A chain that fits <paramref name="first"/>, then <paramref name="next"/> on its output.</summary>
    /// <typeparam name="TNext">Transformer type of <paramref name="next"/>.</typeparam>
    /// <param name="first">The first estimator.</param>
    /// <param name="next">The estimator after it.</param>
    /// <returns>The chain.</returns>
    public static SequenceEstimatorChain<TNext> Append<TNext>(this ISequenceEstimator<ISequenceTransformer> first,
        ISequenceEstimator<TNext> next)
        where TNext : class, ISequenceTransformer
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(next);
        if (first is SequenceEstimatorChain<ISequenceTransformer> chain)
        {
            return chain.Append(next);
        }

        return new SequenceEstimatorChain<TNext>([first, next]);
    }
}
