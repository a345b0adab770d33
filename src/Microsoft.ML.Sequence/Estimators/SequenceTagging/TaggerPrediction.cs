namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>One sentence's prediction: a tag class (0-based) per token and the per-token tag distributions, flattened
/// token by token (tokens × tags values).</summary>
internal sealed record TaggerPrediction(long[] Tags, float[] Scores);
