using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QuickStart;

/// <summary>Embedding → bidirectional LSTM (packed by length) → max over valid steps → dropout → linear: a TorchSharp
/// module built from TorchSharp's <c>nn.Embedding</c> and <c>nn.Linear</c> and our <see cref="Lstm"/>.</summary>
/// <remarks>Every initial value and every dropout mask comes from the generator passed in, so a run is repeatable from
/// its seed without touching libtorch's global generator. State-dict keys: <c>embedding.weight</c>, <c>lstm.*</c>
/// (PyTorch's LSTM names), <c>output.weight</c>, <c>output.bias</c>.</remarks>
internal sealed class BiLstmClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "embedding")]
    private readonly TorchSharp.Modules.Embedding _embedding;

    [ComponentName(Name = "lstm")]
    private readonly Lstm _lstm;

    [ComponentName(Name = "output")]
    private readonly TorchSharp.Modules.Linear _output;

    private readonly double _dropout;
    private readonly Generator _generator;

    public BiLstmClassifier(long vocabularySize, int embeddingSize, int hiddenSize, int classes, double dropout, Generator generator)
        : base(nameof(BiLstmClassifier))
    {
        _generator = generator;
        _dropout = dropout;
        _embedding = nn.Embedding(vocabularySize, embeddingSize, padding_idx: 0);
        _lstm = new Lstm(embeddingSize, hiddenSize, bidirectional: true, generator: generator);
        _output = nn.Linear(2 * hiddenSize, classes);
        using (no_grad())
        {
            // PyTorch's defaults (N(0, 1) rows with PAD zero; U(−1/√in, 1/√in)), drawn from our generator.
            _embedding.weight!.normal_(0, 1, generator);
            _embedding.weight[0].zero_();
            double bound = 1 / Math.Sqrt(2 * hiddenSize);
            _output.weight!.uniform_(-bound, bound, generator);
            _output.bias!.uniform_(-bound, bound, generator);
        }

        register_module("embedding", _embedding);
        register_module("lstm", _lstm);
        register_module("output", _output);
    }

    /// <summary>Trainable values.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits [B, classes] for token ids [B, T] (0 = PAD) with true lengths [B] (int64, CPU).</summary>
    public override Tensor forward(Tensor tokens, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        Tensor embedded = Dropout(_embedding.call(tokens));
        Tensor states = _lstm.Forward(embedded, lengths).Output;
        // Max over time must ignore padding: SequencePooling.Max pushes padded steps to −∞ before the reduction.
        Tensor pooled = SequencePooling.Max(states, lengths);
        return _output.call(Dropout(pooled)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _generator.Dispose();
        }
    }

    // Inverted dropout with masks from our generator (TorchSharp's nn.Dropout draws from the global one).
    private Tensor Dropout(Tensor x)
    {
        if (!training || _dropout <= 0)
        {
            return x;
        }

        Tensor keep;
        using (no_grad())
        {
            keep = empty_like(x).bernoulli_(1 - _dropout, _generator).div_(1 - _dropout);
        }

        return x * keep;
    }
}
