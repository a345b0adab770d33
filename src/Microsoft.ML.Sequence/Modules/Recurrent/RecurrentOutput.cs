using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Result of a recurrent layer's forward pass, with rows in the caller's order.</summary>
/// <param name="Output">Top-layer state at every step, batch-first: [B, T, D·H] for
/// <see cref="BidirectionalMerge.Concat"/> (forward direction first), [B, T, H] for the other merges. Zero past each
/// row's length when lengths were given.</param>
/// <param name="FinalHidden">Hidden state after each row's last valid step, [L·D, B, H], layer-major with the forward
/// direction before the backward one (libtorch's layout). For the backward direction "last" is step 0: its final
/// state has read the whole row from its true end, so it differs from the backward half of
/// <paramref name="Output"/> at the row's last step.</param>
/// <param name="FinalCell">LSTM cell state at the same step as <paramref name="FinalHidden"/>, [L·D, B, H]; null for
/// layers without a cell state.</param>
public sealed record RecurrentOutput(Tensor Output, Tensor FinalHidden, Tensor? FinalCell);
