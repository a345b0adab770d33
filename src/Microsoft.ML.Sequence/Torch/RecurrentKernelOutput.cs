namespace Microsoft.ML.Sequence.Torch;

/// <summary>Result of a fused recurrent kernel.</summary>
/// <param name="Output">Top-layer outputs for every step: [B, T, D·H] batch-first or [T, B, D·H] time-major for padded
/// input; packed data [Σ lengths, D·H] for packed input.</param>
/// <param name="FinalHidden">Final hidden state [L·D, B, H] (layer-major, forward before backward).</param>
/// <param name="FinalCell">Final LSTM cell state [L·D, B, H]; null for other modes.</param>
public sealed record RecurrentKernelOutput(Tensor Output, Tensor FinalHidden, Tensor? FinalCell);
