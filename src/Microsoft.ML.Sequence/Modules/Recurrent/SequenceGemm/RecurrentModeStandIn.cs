// TEMPORARY: stands in for port/recurrent's RecurrentMode until that branch is merged (then this file is deleted).
namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>The recurrence a built-in recurrent layer computes.</summary>
public enum RecurrentMode
{
    /// <summary>Elman RNN with tanh.</summary>
    RnnTanh = 0,

    /// <summary>Elman RNN with ReLU.</summary>
    RnnRelu = 1,

    /// <summary>LSTM, gates i, f, g, o.</summary>
    Lstm = 2,

    /// <summary>GRU, gates r, z, n.</summary>
    Gru = 3,
}
