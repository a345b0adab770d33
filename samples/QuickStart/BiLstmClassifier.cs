using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;

namespace QuickStart;

/// <summary>Embedding → bidirectional LSTM (packed by length) → max over valid steps → dropout → linear.</summary>
internal sealed class BiLstmClassifier : Module
{
    private readonly Embedding _embedding;
    private readonly Dropout _dropout;
    private readonly Lstm _lstm;
    private readonly Linear _output;

    public BiLstmClassifier(long vocabularySize, int embeddingSize, int hiddenSize, int classes, double dropout,
        RandomGenerator generator)
    {
        _embedding = RegisterModule("embedding", new Embedding(vocabularySize, embeddingSize, paddingIndex: 0, generator));
        _dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        _lstm = RegisterModule("lstm", new Lstm(embeddingSize, hiddenSize, bidirectional: true, generator: generator));
        _output = RegisterModule("output", new Linear(2 * hiddenSize, classes, generator: generator));
    }

    /// <summary>Logits [B, classes] for token ids [B, T] (0 = PAD) with true lengths [B].</summary>
    public Tensor Forward(Tensor tokens, Tensor lengths)
    {
        Tensor embedded = _dropout.Forward(_embedding.Forward(tokens));
        Tensor states = _lstm.Forward(embedded, lengths).Output;
        // Max over time must ignore padding: padded steps are pushed to -inf before the reduction.
        Tensor padding = tokens.Eq(Vocabulary.Pad).Unsqueeze(-1);
        Tensor pooled = states.MaskedFill(padding, double.NegativeInfinity).Max([1]);
        return _output.Forward(_dropout.Forward(pooled));
    }
}
