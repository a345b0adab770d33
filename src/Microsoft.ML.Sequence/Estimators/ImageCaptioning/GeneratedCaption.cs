namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>A caption generated for one image, with the attention weights behind each word.</summary>
/// <param name="Words">The generated words, END left out.</param>
/// <param name="AttentionWeights">For word i, the attention weights over the L = <paramref name="GridWidth"/> ×
/// <paramref name="GridHeight"/> image regions (row-major: region l is grid row l / GridWidth, column l % GridWidth) at the
/// step that generated it; each array sums to 1.</param>
/// <param name="GridWidth">Regions across the image.</param>
/// <param name="GridHeight">Regions down the image.</param>
/// <param name="LogProbability">The caption's log-probability under the model, END included when it was generated.</param>
public sealed record GeneratedCaption(IReadOnlyList<string> Words, IReadOnlyList<float[]> AttentionWeights, int GridWidth, int GridHeight,
    double LogProbability)
{
    /// <summary>The words joined by single spaces (what the <c>PredictedCaption</c> column holds).</summary>
    public string Text => string.Join(' ', Words);
}
