using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Result of <see cref="Lstm.Forward"/>, with rows in the caller's order.</summary>
/// <param name="Output">Top-layer hidden state at every step, [B, T, D·H] (forward and backward directions
/// concatenated); zero past each row's length when lengths were given.</param>
/// <param name="FinalHidden">Hidden state after each row's last valid step, [L·D, B, H], layer-major with the forward
/// direction before the backward one. For the backward direction "last" is step 0, so it differs from the backward
/// half of <paramref name="Output"/> at the last step.</param>
/// <param name="FinalCell">Cell state at the same step as <paramref name="FinalHidden"/>, [L·D, B, H].</param>
public sealed record LstmOutput(Tensor Output, Tensor FinalHidden, Tensor FinalCell);
