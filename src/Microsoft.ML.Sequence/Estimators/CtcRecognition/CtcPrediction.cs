namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>One row's recognition.</summary>
/// <param name="Text">The decoded text.</param>
/// <param name="LogProbabilities">Frames × classes log-softmax scores, row-major (class 0 the blank).</param>
internal sealed record CtcPrediction(string Text, float[] LogProbabilities);
