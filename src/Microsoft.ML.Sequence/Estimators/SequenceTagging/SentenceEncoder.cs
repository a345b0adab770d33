using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The tagger's stacked bidirectional recurrent encoder: the one place that builds recurrent layers, so moving
/// to another recurrent API changes this file only.</summary>
/// <remarks>Layers are single-layer bidirectional modules named <c>layer0</c>, <c>layer1</c>, …, with dropout between
/// them; this is the computation of PyTorch's <c>nn.LSTM(num_layers=N, bidirectional=True, dropout=p)</c>.</remarks>
internal sealed class SentenceEncoder : Module
{
    private readonly List<Lstm> _layers = new();
    private readonly Dropout _between;

    public SentenceEncoder(RecurrentMode cell, int inputSize, int hiddenSize, int layerCount, double dropout, RandomGenerator? generator)
    {
        if (cell != RecurrentMode.Lstm)
        {
            throw new NotSupportedException(
                $"Cell {cell} is not available to the tagger yet: only {RecurrentMode.Lstm} until the recurrent layer family lands.");
        }

        for (int layer = 0; layer < layerCount; layer++)
        {
            int size = layer == 0 ? inputSize : 2 * hiddenSize;
            _layers.Add(RegisterModule($"layer{layer}", new Lstm(size, hiddenSize, layers: 1, bidirectional: true, generator: generator)));
        }

        _between = RegisterModule("dropout", new Dropout(dropout, generator));
        OutputSize = 2 * hiddenSize;
    }

    public int OutputSize { get; }

    /// <summary>[B, T, F] inputs and int64 [B] lengths → [B, T, 2H] outputs (zeros past each row's length).</summary>
    public Tensor Forward(Tensor input, Tensor lengths)
    {
        using var scope = TensorScope.Begin();
        Tensor x = input;
        for (int layer = 0; layer < _layers.Count; layer++)
        {
            if (layer > 0)
            {
                x = _between.Forward(x);
            }

            x = _layers[layer].Forward(x, lengths).Output;
        }

        return scope.MoveToOuter(x);
    }
}
