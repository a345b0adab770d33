namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>The recurrence a built-in recurrent layer computes (it fixes the gate count G and the native module:
/// TorchSharp's <c>nn.RNN</c>, <c>nn.LSTM</c> or <c>nn.GRU</c>).</summary>
public enum RecurrentMode
{
    /// <summary>Elman RNN with tanh: h = tanh(W_ih x + b_ih + W_hh h' + b_hh). One gate block.</summary>
    RnnTanh = 0,

    /// <summary>Elman RNN with ReLU: h = relu(W_ih x + b_ih + W_hh h' + b_hh). One gate block.</summary>
    RnnRelu = 1,

    /// <summary>LSTM with gates i, f, g, o (four blocks, in that order) and a cell state.</summary>
    Lstm = 2,

    /// <summary>GRU with gates r, z, n (three blocks), reset applied after the recurrent product as libtorch does.</summary>
    Gru = 3,
}
