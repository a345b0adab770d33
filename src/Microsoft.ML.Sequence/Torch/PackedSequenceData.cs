namespace Microsoft.ML.Sequence.Torch;

/// <summary>A batch packed for a recurrent kernel by <see cref="RecurrentKernels.PackPadded"/>.</summary>
/// <param name="Data">[Σ lengths, F]: step 0 of every sequence, then step 1 of those still running, …</param>
/// <param name="BatchSizes">CPU int64 [T_max]: how many sequences are still running at each step.</param>
public sealed record PackedSequenceData(Tensor Data, Tensor BatchSizes);
