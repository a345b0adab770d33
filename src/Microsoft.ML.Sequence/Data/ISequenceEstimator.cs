namespace Microsoft.ML.Sequence.Data;

/// <summary>Learns a transformer from data: a vocabulary, a model's weights, or nothing for stateless transforms.</summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public interface ISequenceEstimator<out TTransformer>
    where TTransformer : ISequenceTransformer
{
    /// <summary>Learns from <paramref name="input"/>.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The fitted transformer.</returns>
    TTransformer Fit(ISequenceDataView input);

    /// <summary>The schema the fitted transformer would produce, computed without fitting (key counts may be unknown).</summary>
    /// <param name="inputSchema">Schema of the input.</param>
    /// <returns>Schema of the output.</returns>
    /// <exception cref="ArgumentException">An input column is missing or has the wrong type; the message names it.</exception>
    SequenceSchema GetOutputSchema(SequenceSchema inputSchema);
}
