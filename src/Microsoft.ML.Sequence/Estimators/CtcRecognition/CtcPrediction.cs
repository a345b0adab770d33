namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>One row's recognition.</summary>
/// <param name="Text">The decoded text.</param>
/// <param name="LogProbabilities">Frames × classes log-softmax scores, row-major (class 0 the blank).</param>
/// <param name="Hypotheses">Beam search's best hypotheses, best first (null for best-path decoding).</param>
internal sealed record CtcPrediction(string Text, float[] LogProbabilities, IReadOnlyList<CtcHypothesis>? Hypotheses);
