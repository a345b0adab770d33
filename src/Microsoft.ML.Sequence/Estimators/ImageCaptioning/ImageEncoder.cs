using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>The captioner's convolutional image encoder: blocks of 3 × 3 convolution (padding 1, no bias) → batch
/// normalisation → ReLU → 2 × 2 max pooling; the last block's feature map [B, D, h, w] is read as L = h · w regions of
/// D features, plus a learned position vector per region (attention needs to know where a region is to say "left of").</summary>
/// <remarks>State-dictionary keys: <c>blocks.{i}.conv.weight</c>, <c>blocks.{i}.norm.weight</c>, <c>.bias</c>,
/// <c>.running_mean</c>, <c>.running_var</c>, <c>.num_batches_tracked</c>, and <c>position</c> [L, D]. Convolutions start
/// from He-uniform values U(±√(6 / fan_in)) drawn from the given generator (they feed ReLUs).</remarks>
internal sealed class ImageEncoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "blocks")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _blocks;

    // Named so that TorchSharp's to(…) updates this field when it replaces the parameter.
    [ComponentName(Name = "position")]
    private Parameter _position;

    public ImageEncoder(int[] channels, int width, int height, Generator generator)
        : base(nameof(ImageEncoder))
    {
        _blocks = new ModuleList<nn.Module<Tensor, Tensor>>();
        int inputs = 3;
        foreach (int outputs in channels)
        {
            Conv2d conv = nn.Conv2d(inputs, outputs, kernel_size: 3, padding: 1, bias: false);
            double bound = Math.Sqrt(6.0 / (inputs * 9));
            using (no_grad())
            {
                conv.weight!.uniform_(-bound, bound, generator);
            }

            _blocks.Add(nn.Sequential(("conv", conv), ("norm", nn.BatchNorm2d(outputs)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2))));
            inputs = outputs;
        }

        GridWidth = width >> channels.Length;
        GridHeight = height >> channels.Length;
        FeatureSize = channels[^1];
        using (NewDisposeScope())
        {
            _position = NewParameter(Initialization.Uniform([GridWidth * GridHeight, FeatureSize], 0.1, generator));
        }

        register_module("blocks", _blocks);
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
        Tensor x = images;
        foreach (nn.Module<Tensor, Tensor> block in _blocks)
        {
            x = block.call(x);
        }

        Tensor regions = x.flatten(2).transpose(1, 2) + _position;
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
