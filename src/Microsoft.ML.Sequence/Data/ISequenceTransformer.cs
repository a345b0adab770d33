namespace Microsoft.ML.Sequence.Data;

/// <summary>A fitted (or stateless) mapping from one data view to another; what an estimator's <c>Fit</c> returns.</summary>
/// <remarks>Transforms are lazy: <see cref="Transform"/> returns a view whose values are computed as a cursor reads them.
/// A transformer that holds native memory (model weights) is also <see cref="IDisposable"/>.</remarks>
public interface ISequenceTransformer
{
    /// <summary>The schema <see cref="Transform"/> would produce for input with <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">Schema of the input.</param>
    /// <returns>Schema of the output.</returns>
    /// <exception cref="ArgumentException">An input column is missing or has the wrong type; the message names it.</exception>
    SequenceSchema GetOutputSchema(SequenceSchema inputSchema);

    /// <summary>Maps <paramref name="input"/> to the output view (lazily).</summary>
    /// <param name="input">The input rows.</param>
    /// <returns>The output rows.</returns>
    ISequenceDataView Transform(ISequenceDataView input);
}
