namespace Microsoft.ML.Sequence.Modules.Convolution;

/// <summary>One block of a convolutional front-end: a 3-wide convolution to <see cref="Channels"/> channels, batch
/// norm, ReLU, then max pooling by <see cref="HeightPool"/> × <see cref="TimePool"/> (no pooling when both are 1).</summary>
/// <param name="Channels">Output channels, at least 1.</param>
/// <param name="HeightPool">Pooling factor (kernel and stride) along the height, at least 1; must be 1 for 1-D stacks.</param>
/// <param name="TimePool">Pooling factor (kernel and stride) along the width / time axis, at least 1.</param>
public sealed record ConvolutionBlock(int Channels, int HeightPool, int TimePool)
{
    internal void Validate(bool twoDimensional, string name)
    {
        Arguments.Range(Channels, 1, 65536, name + "." + nameof(Channels));
        Arguments.Range(HeightPool, 1, 64, name + "." + nameof(HeightPool));
        Arguments.Range(TimePool, 1, 64, name + "." + nameof(TimePool));
        if (!twoDimensional && HeightPool != 1)
        {
            throw new ArgumentOutOfRangeException(name, HeightPool, $"{name}: a 1-D (feature sequence) block cannot pool height; HeightPool must be 1.");
        }
    }
}
