namespace Microsoft.ML.Sequence.Torch;

/// <summary>Result of <see cref="Tensor.TopK"/> and <see cref="Tensor.Sort"/>.</summary>
/// <param name="Values">The selected or sorted values.</param>
/// <param name="Indices">Their int64 positions in the input along the dimension.</param>
public sealed record ValuesAndIndices(Tensor Values, Tensor Indices);
