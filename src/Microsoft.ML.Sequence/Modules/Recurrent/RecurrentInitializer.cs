using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Initial float32 values of recurrent weights (see <see cref="RecurrentInitialization"/>), created in the
/// current scope and drawn from the given generator.</summary>
internal static class RecurrentInitializer
{
    /// <summary>W_ih [G·H, in].</summary>
    public static Tensor InputWeight(RecurrentInitialization scheme, int gates, int hidden, long inputs, Generator? generator)
    {
        double bound = scheme == RecurrentInitialization.PyTorchUniform
            ? 1 / Math.Sqrt(hidden)
            : Math.Sqrt(6.0 / (inputs + (long)gates * hidden));
        return Initialization.Uniform([(long)gates * hidden, inputs], bound, generator);
    }

    /// <summary>W_hh [G·H, H], built gate block by gate block.</summary>
    public static Tensor RecurrentWeight(RecurrentInitialization scheme, int gates, int hidden, Generator? generator)
    {
        switch (scheme)
        {
            case RecurrentInitialization.PyTorchUniform:
                return Initialization.Uniform([(long)gates * hidden, hidden], 1 / Math.Sqrt(hidden), generator);
            case RecurrentInitialization.Identity:
                return torch.cat(Enumerable.Range(0, gates).Select(_ => torch.eye(hidden)).ToArray(), 0);
            case RecurrentInitialization.Orthogonal:
                return torch.cat(Enumerable.Range(0, gates).Select(_ => Orthogonal(hidden, generator)).ToArray(), 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialisation scheme.");
        }
    }

    /// <summary>b_ih or b_hh [G·H]: zero except the LSTM forget block of b_ih, or uniform for PyTorch's scheme.</summary>
    public static Tensor Bias(RecurrentInitialization scheme, RecurrentMode mode, int hidden, bool inputBias, double forgetBias,
        Generator? generator)
    {
        int gates = CellMath.GateCount(mode);
        if (scheme == RecurrentInitialization.PyTorchUniform)
        {
            return Initialization.Uniform([(long)gates * hidden], 1 / Math.Sqrt(hidden), generator);
        }

        var values = new float[gates * hidden];
        if (mode == RecurrentMode.Lstm && inputBias)
        {
            // Gate order i, f, g, o: the forget block is the second one.
            Array.Fill(values, (float)forgetBias, hidden, hidden);
        }

        return torch.tensor(values);
    }

    /// <summary>A uniformly distributed n × n orthogonal matrix: Q of the QR decomposition of a standard Gaussian
    /// matrix, each column multiplied by the sign of R's diagonal entry (the decomposition is made unique that way).</summary>
    public static Tensor Orthogonal(long n, Generator? generator)
    {
        Tensor gaussian = torch.randn(new[] { n, n }, ScalarType.Float64, generator: generator);
        (Tensor q, Tensor r) = torch.linalg.qr(gaussian);
        double[] diagonal = TensorValues.ToArray<double>(r.diagonal());
        double[] signs = diagonal.Select(d => d < 0 ? -1.0 : 1.0).ToArray();
        return (q * torch.tensor(signs, ScalarType.Float64).unsqueeze(0)).to(ScalarType.Float32);
    }
}
