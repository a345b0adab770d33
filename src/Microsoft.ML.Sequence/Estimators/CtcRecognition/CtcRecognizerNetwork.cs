using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Convolution;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>The CRNN: convolution blocks (2-D over images, collapsing the height into features per column; 1-D over
/// feature sequences) → dropout → stacked BiLSTM packed by the real lengths → dropout → linear layer to the classes
/// (0 = CTC blank, k = alphabet[k − 1]).</summary>
/// <remarks>State-dictionary keys: <c>frontend.conv{i}.weight</c>, <c>frontend.norm{i}.*</c> (see
/// <see cref="ConvolutionBlockStack"/>), <c>encoder.weight_ih_l0</c> … (PyTorch's LSTM names), <c>head.weight</c>,
/// <c>head.bias</c>.</remarks>
internal sealed class CtcRecognizerNetwork : nn.Module<Tensor, long[], Tensor>
{
    private readonly ConvolutionBlockStack _frontend;
    private readonly Lstm _encoder;
    private readonly TorchSharp.Modules.Linear _head;
    private readonly double _dropout;
    private readonly Generator _generator;

    /// <summary>Creates the network on the CPU with its own generator seeded by <paramref name="seed"/>.</summary>
    /// <param name="kind">Images or features.</param>
    /// <param name="inputSize">Images: the height the input is scaled to; features: F.</param>
    /// <param name="classCount">Alphabet size + 1 (the blank).</param>
    /// <param name="options">Sizes and dropout.</param>
    /// <param name="seed">Seed of the initial weights and the dropout masks.</param>
    public CtcRecognizerNetwork(CtcInputKind kind, int inputSize, int classCount, CtcRecognizerOptions options, ulong seed)
        : base(nameof(CtcRecognizerNetwork))
    {
        Kind = kind;
        ClassCount = classCount;
        _dropout = options.Dropout;
        _generator = new Generator(seed, CPU);
        bool image = kind == CtcInputKind.Image;
        _frontend = new ConvolutionBlockStack(image ? 1 : inputSize, options.EffectiveBlocks(), image, _generator);
        register_module("frontend", _frontend);
        int features = image ? _frontend.OutputChannels * (inputSize / _frontend.HeightReduction) : _frontend.OutputChannels;
        _encoder = new Lstm(new RecurrentLayerOptions
        {
            InputSize = features,
            HiddenSize = options.HiddenSize,
            LayerCount = options.LayerCount,
            Bidirectional = true,
            Dropout = options.LayerCount > 1 ? options.Dropout : 0,
        }, _generator);
        register_module("encoder", _encoder);
        _head = Initialization.Linear(_encoder.OutputSize, classCount, bias: true, _generator);
        register_module("head", _head);
    }

    /// <summary>Images or features.</summary>
    public CtcInputKind Kind { get; }

    /// <summary>Classes of the output, blank included.</summary>
    public int ClassCount { get; }

    /// <summary>Trainable values.</summary>
    public long ParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Frames of output for an input of <paramref name="length"/> columns (frames).</summary>
    public long OutputLength(long length) => _frontend.OutputLength(length);

    /// <summary>Logits [B, T', C] (before log-softmax); frames past a row's <see cref="OutputLength"/> are padding.</summary>
    /// <param name="input">Images [B, 1, H, W] or features [B, T, F], float32, zero-padded.</param>
    /// <param name="lengths">Each row's real width (frames) of the input, in [1, W].</param>
    public override Tensor forward(Tensor input, long[] lengths)
    {
        using var scope = NewDisposeScope();
        Tensor columns;
        if (Kind == CtcInputKind.Image)
        {
            Tensor maps = _frontend.call(input); // [B, C, H', W']
            columns = maps.permute(0, 3, 1, 2).flatten(2); // [B, W', C·H']
        }
        else
        {
            columns = _frontend.call(input.transpose(1, 2)).transpose(1, 2); // [B, T', C]
        }

        long steps = columns.shape[1];
        long[] outputLengths = lengths.Select(l => Math.Clamp(OutputLength(l), 1, steps)).ToArray();
        Tensor x = SeededDropout.Apply(columns.contiguous(), _dropout, training, _generator);
        Tensor states = _encoder.Forward(x, tensor(outputLengths)).Output;
        Tensor logits = _head.call(SeededDropout.Apply(states, _dropout, training, _generator));
        return logits.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator.Dispose();
        }
    }
}
