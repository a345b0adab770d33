using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Convolution;

/// <summary>A stack of convolution blocks, each convolution (kernel 3, padding 1, no bias) → batch norm → ReLU → max
/// pooling, over images [B, C, H, W] (2-D) or over sequences of feature vectors [B, C, T] (1-D). Pooling shrinks the
/// height by <see cref="ConvolutionBlock.HeightPool"/> and the width (time) by <see cref="ConvolutionBlock.TimePool"/>,
/// floor division, so <see cref="OutputLength"/> maps a real (unpadded) width to the real width after the stack.</summary>
/// <remarks>
/// <para>State-dictionary keys: <c>conv{i}.weight</c> [C_out, C_in, 3, 3] (2-D) or [C_out, C_in, 3] (1-D),
/// <c>norm{i}.weight</c>, <c>norm{i}.bias</c>, <c>norm{i}.running_mean</c>, <c>norm{i}.running_var</c>,
/// <c>norm{i}.num_batches_tracked</c> — PyTorch's names for <c>Conv2d</c>/<c>Conv1d</c> and <c>BatchNorm2d</c>/<c>BatchNorm1d</c>.</para>
/// <para>Initialisation: He (Kaiming) uniform, U(−√(6/fan_in), √(6/fan_in)), drawn from the given generator (ReLU follows
/// every convolution); batch-norm scale 1, shift 0. The convolutions have no bias because batch norm's shift replaces it.</para>
/// <para>Padding: zeros past a row's real width stay zero through a convolution's receptive field only approximately
/// (the kernel reaches one column into the padding, and batch norm shifts zeros); the caller reads only the first
/// <see cref="OutputLength"/> columns of each row, which is what the CRNN recipe does.</para>
/// </remarks>
internal sealed class ConvolutionBlockStack : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionBlock[] _blocks;
    private readonly nn.Module<Tensor, Tensor>[] _convolutions;
    private readonly nn.Module<Tensor, Tensor>[] _norms;
    private readonly nn.Module<Tensor, Tensor>?[] _pools;

    /// <summary>Builds the stack on the CPU.</summary>
    /// <param name="inputChannels">Channels of the input (1 for a grayscale image, F for F features per frame).</param>
    /// <param name="blocks">The blocks, in order; may be empty (the stack is then the identity).</param>
    /// <param name="twoDimensional">True for images [B, C, H, W]; false for sequences [B, C, T] (height pooling must be 1).</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count or pooling factor is below 1, or a 1-D block pools height.</exception>
    public ConvolutionBlockStack(int inputChannels, IReadOnlyList<ConvolutionBlock> blocks, bool twoDimensional, Generator? generator)
        : base(nameof(ConvolutionBlockStack))
    {
        Arguments.Range(inputChannels, 1, int.MaxValue, nameof(inputChannels));
        _blocks = blocks.ToArray();
        IsTwoDimensional = twoDimensional;
        _convolutions = new nn.Module<Tensor, Tensor>[_blocks.Length];
        _norms = new nn.Module<Tensor, Tensor>[_blocks.Length];
        _pools = new nn.Module<Tensor, Tensor>?[_blocks.Length];
        int channels = inputChannels;
        for (int i = 0; i < _blocks.Length; i++)
        {
            ConvolutionBlock block = _blocks[i];
            block.Validate(twoDimensional, $"{nameof(blocks)}[{i}]");
            double bound = Math.Sqrt(6.0 / (channels * (twoDimensional ? 9 : 3)));
            if (twoDimensional)
            {
                var conv = nn.Conv2d(channels, block.Channels, kernel_size: 3, padding: 1, bias: false);
                using (no_grad())
                {
                    conv.weight!.uniform_(-bound, bound, generator);
                }

                _convolutions[i] = conv;
                _norms[i] = nn.BatchNorm2d(block.Channels);
                _pools[i] = block.HeightPool == 1 && block.TimePool == 1 ? null
                    : nn.MaxPool2d(kernel_size: [block.HeightPool, block.TimePool], stride: [block.HeightPool, block.TimePool]);
            }
            else
            {
                var conv = nn.Conv1d(channels, block.Channels, kernel_size: 3, padding: 1, bias: false);
                using (no_grad())
                {
                    conv.weight!.uniform_(-bound, bound, generator);
                }

                _convolutions[i] = conv;
                _norms[i] = nn.BatchNorm1d(block.Channels);
                _pools[i] = block.TimePool == 1 ? null : nn.MaxPool1d(kernel_size: block.TimePool, stride: block.TimePool);
            }

            register_module($"conv{i}", _convolutions[i]);
            register_module($"norm{i}", _norms[i]);
            channels = block.Channels;
        }

        OutputChannels = channels;
    }

    /// <summary>True for the 2-D (image) variant.</summary>
    public bool IsTwoDimensional { get; }

    /// <summary>Channels of the output: the last block's, or the input's when there are no blocks.</summary>
    public int OutputChannels { get; }

    /// <summary>The factor by which the stack divides the height (product of the height pools).</summary>
    public int HeightReduction => _blocks.Aggregate(1, (r, b) => r * b.HeightPool);

    /// <summary>The real width (or frame count) after the stack for a real input width of <paramref name="length"/>.</summary>
    /// <param name="length">Columns (frames) of real input.</param>
    /// <returns>Columns (frames) of real output: repeated floor division by each block's time pool.</returns>
    public long OutputLength(long length)
    {
        foreach (ConvolutionBlock block in _blocks)
        {
            length /= block.TimePool;
        }

        return length;
    }

    /// <summary>Runs the blocks.</summary>
    /// <param name="input">[B, C, H, W] (2-D) or [B, C, T] (1-D), float32.</param>
    /// <returns>[B, C_out, H / HeightReduction, W'] or [B, C_out, T'], in the caller's dispose scope.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        for (int i = 0; i < _blocks.Length; i++)
        {
            x = nn.functional.relu(_norms[i].call(_convolutions[i].call(x)));
            if (_pools[i] is { } pool)
            {
                x = pool.call(x);
            }
        }

        return (ReferenceEquals(x, input) ? x.alias() : x).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (nn.Module<Tensor, Tensor>? pool in _pools)
            {
                pool?.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
