using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Convolution;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>The captioner's convolutional image encoder: the shared <see cref="ConvolutionBlockStack"/> (blocks of 3 × 3
/// convolution without bias → batch normalisation → ReLU → 2 × 2 max pooling, He-uniform initial values from the given
/// generator); the last block's feature map [B, D, h, w] is read as L = h · w regions of D features, plus a learned
/// position vector per region (attention needs to know where a region is to say "left of").</summary>
/// <remarks>State-dictionary keys: <c>stack.conv{i}.weight</c>, <c>stack.norm{i}.weight</c>, <c>.bias</c>,
/// <c>.running_mean</c>, <c>.running_var</c>, <c>.num_batches_tracked</c>, and <c>position</c> [L, D].</remarks>
internal sealed class ImageEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "stack")]
    private readonly ConvolutionBlockStack _stack;

    // Named so that TorchSharp's to(…) updates this field when it replaces the parameter.
    [ComponentName(Name = "position")]
    private Parameter _position;

    public ImageEncoder(int[] channels, int width, int height, Generator generator)
        : base(nameof(ImageEncoder))
    {
        _stack = new ConvolutionBlockStack(3, channels.Select(c => new ConvolutionBlock(c, 2, 2)).ToArray(), twoDimensional: true, generator);
        GridWidth = width >> channels.Length;
        GridHeight = height >> channels.Length;
        FeatureSize = _stack.OutputChannels;
        using (NewDisposeScope())
        {
            _position = NewParameter(Initialization.Uniform([GridWidth * GridHeight, FeatureSize], 0.1, generator));
        }

        register_module("stack", _stack);
        register_parameter("position", _position);
    }

    /// <summary>D, the features of a region.</summary>
    public int FeatureSize { get; }

    /// <summary>Regions across (w).</summary>
    public int GridWidth { get; }

    /// <summary>Regions down (h).</summary>
    public int GridHeight { get; }

    /// <summary>Images [B, 3, H, W] (normalised) → regions [B, L, D], row-major over the grid (region l is at row
    /// l / w, column l % w).</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        Tensor regions = _stack.call(images).flatten(2).transpose(1, 2) + _position;
        return regions.MoveToOuterDisposeScope();
    }

    // A parameter no dispose scope owns: the encoder is built inside a caller's scope and keeps its weights.
    private static Parameter NewParameter(Tensor values)
    {
        var parameter = new Parameter(values, requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
