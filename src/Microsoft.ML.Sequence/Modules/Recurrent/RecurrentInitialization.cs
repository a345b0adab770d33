namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>How a recurrent layer or cell initialises its weights. Every value is drawn from the generator given to
/// the layer (libtorch's global generator only when none is given).</summary>
public enum RecurrentInitialization
{
    /// <summary>
    /// The default. Each H × H gate block of <c>weight_hh</c> is an orthogonal matrix, the Q of the QR decomposition
    /// of a standard Gaussian matrix with each column's sign corrected by the sign of diag(R) (so Q is uniformly
    /// distributed over orthogonal matrices; Saxe et al. 2014). <c>weight_ih</c> is Glorot-uniform,
    /// U(−a, a) with a = √(6 / (in + G·H)) over the whole [G·H, in] matrix, as Keras does. Biases are zero except the
    /// LSTM forget gate's block of <c>bias_ih</c>, which holds <see cref="RecurrentLayerOptions.ForgetBias"/>.
    /// Why: an orthogonal recurrent map preserves the norm of the state and of back-propagated gradients at the start
    /// of training, and a positive forget bias keeps the LSTM's cell state (and its gradient) flowing over long spans
    /// until the gates learn (Jozefowicz et al. 2015).
    /// </summary>
    Orthogonal = 0,

    /// <summary>
    /// Each gate block of <c>weight_hh</c> is the identity; input weights and biases as for <see cref="Orthogonal"/>.
    /// Meant for the ReLU Elman RNN ("IRNN", Le, Jaitly and Hinton 2015): with h = relu(W_ih x + h'), the state is
    /// copied forward unchanged when the input is silent, so gradients neither explode nor vanish at the start.
    /// </summary>
    Identity = 1,

    /// <summary>
    /// PyTorch's scheme for <c>nn.LSTM</c>, <c>nn.GRU</c> and <c>nn.RNN</c>: every weight and bias element from
    /// U(−1/√H, 1/√H). <see cref="RecurrentLayerOptions.ForgetBias"/> does not apply. Use it to reproduce PyTorch
    /// results.
    /// </summary>
    PyTorchUniform = 2,
}
