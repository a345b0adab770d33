namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>The activation of an Elman RNN: h_t = act(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh).</summary>
public enum ElmanNonlinearity
{
    /// <summary>Hyperbolic tangent (libtorch's <c>rnn_tanh</c>).</summary>
    Tanh = 0,

    /// <summary>Rectified linear unit (libtorch's <c>rnn_relu</c>); pair it with
    /// <see cref="RecurrentInitialization.Identity"/> for the IRNN of Le et al. (2015).</summary>
    Relu = 1,
}
