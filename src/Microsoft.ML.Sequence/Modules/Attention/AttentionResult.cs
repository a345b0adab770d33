using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Result of an attention layer: the attended values and the weights that produced them.</summary>
/// <param name="Context">Weighted sum of the values: [B, F] for one query per row, [B, Tq, F] for a query sequence.</param>
/// <param name="Weights">Attention weights summing to 1 over the keys, 0 on masked keys: [B, Tk], [B, Tq, Tk], or
/// [B, heads, Tq, Tk] for multi-head attention.</param>
/// <remarks>Both tensors belong to the caller's dispose scope (or to the caller, outside any scope).</remarks>
public sealed record AttentionResult(Tensor Context, Tensor Weights);
