namespace Microsoft.ML.Sequence.Torch;

/// <summary>Result of <see cref="Tensor.Qr"/>.</summary>
/// <param name="Q">Matrix with orthonormal columns.</param>
/// <param name="R">Upper-triangular matrix.</param>
public sealed record QrDecomposition(Tensor Q, Tensor R);
