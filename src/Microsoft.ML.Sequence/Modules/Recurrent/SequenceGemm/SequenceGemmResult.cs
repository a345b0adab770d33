using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>What <see cref="SequenceGemmKernel"/> returns for one layer and direction.</summary>
/// <param name="Output">[B, T, H] batch-first, zero past each row's end, rows in the caller's order (packed [N, H] for
/// <see cref="SequenceGemmKernel.RunPacked"/>).</param>
/// <param name="Hidden">Final hidden state [B, H]: after each row's last step (forward) or after step 0 (reverse).</param>
/// <param name="Cell">Final LSTM cell state [B, H]; null for GRU.</param>
internal sealed record SequenceGemmResult(Tensor Output, Tensor Hidden, Tensor? Cell);
