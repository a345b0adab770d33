namespace Microsoft.ML.Sequence.Torch;

/// <summary>A native resource a <see cref="TensorScope"/> can own and free.</summary>
internal interface IScopedResource : IDisposable
{
}
