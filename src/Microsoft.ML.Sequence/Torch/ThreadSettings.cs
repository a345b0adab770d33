namespace Microsoft.ML.Sequence.Torch;

/// <summary>Thread counts used by libtorch and OpenBLAS.</summary>
/// <param name="IntraOpThreads">libtorch's intra-op thread count.</param>
/// <param name="BlasThreads">OpenBLAS's thread count; 0 when libtorch does not use OpenBLAS.</param>
public sealed record ThreadSettings(int IntraOpThreads, int BlasThreads);
