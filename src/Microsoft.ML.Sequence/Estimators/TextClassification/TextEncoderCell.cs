namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>The recurrent cell of a text classifier's encoder.</summary>
public enum TextEncoderCell
{
    /// <summary>Vanilla (Elman) RNN with tanh: h_t = tanh(W x_t + U h_(t−1) + b). Fastest, weakest on long text.</summary>
    Rnn = 0,

    /// <summary>Long short-term memory (gates i, f, g, o and a cell state).</summary>
    Lstm = 1,

    /// <summary>Gated recurrent unit (gates r, z, n).</summary>
    Gru = 2,
}
