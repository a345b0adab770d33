namespace Microsoft.ML.Sequence.Torch;

/// <summary>A packed batch restored to padded form by <see cref="RecurrentKernels.PadPacked"/>.</summary>
/// <param name="Padded">[B, T, F] batch-first or [T, B, F] time-major, padding filled with the padding value.</param>
/// <param name="Lengths">CPU int64 [B] length of each sequence.</param>
public sealed record PaddedSequenceData(Tensor Padded, Tensor Lengths);
