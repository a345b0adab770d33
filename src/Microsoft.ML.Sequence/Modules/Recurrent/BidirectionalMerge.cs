namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>How a bidirectional layer combines its two directions in the output it returns.</summary>
/// <remarks>The merge applies to <see cref="RecurrentOutput.Output"/> of the top layer only. Between stacked layers the
/// two directions are always concatenated, as libtorch's fused kernels (and PyTorch) do, so the parameter shapes stay
/// PyTorch's and the whole stack can run in one native call.</remarks>
public enum BidirectionalMerge
{
    /// <summary>Forward and backward states side by side: [B, T, 2·H], forward first.</summary>
    Concat = 0,

    /// <summary>Element-wise sum of the two directions: [B, T, H].</summary>
    Sum = 1,

    /// <summary>Element-wise mean of the two directions: [B, T, H].</summary>
    Average = 2,
}
