using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Initial float32 values of recurrent weights (see <see cref="RecurrentInitialization"/>), created in the
/// current scope and drawn from the given generator.</summary>
internal static class RecurrentInitializer
{
    /// <summary>W_ih [G·H, in].</summary>
    public static Tensor InputWeight(RecurrentInitialization scheme, int gates, int hidden, long inputs, RandomGenerator? generator)
    {
        double bound = scheme == RecurrentInitialization.PyTorchUniform
            ? 1 / Math.Sqrt(hidden)
            : Math.Sqrt(6.0 / (inputs + (long)gates * hidden));
        return Initialization.Uniform([(long)gates * hidden, inputs], bound, generator);
    }

    /// <summary>W_hh [G·H, H], built gate block by gate block.</summary>
    public static Tensor RecurrentWeight(RecurrentInitialization scheme, int gates, int hidden, RandomGenerator? generator)
    {
        switch (scheme)
        {
            case RecurrentInitialization.PyTorchUniform:
                return Initialization.Uniform([(long)gates * hidden, hidden], 1 / Math.Sqrt(hidden), generator);
            case RecurrentInitialization.Identity:
                return Tensor.Cat(Enumerable.Range(0, gates).Select(_ => Tensor.Eye(hidden)).ToArray());
            case RecurrentInitialization.Orthogonal:
                return Tensor.Cat(Enumerable.Range(0, gates).Select(_ => Orthogonal(hidden, generator)).ToArray());
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialisation scheme.");
        }
    }

    /// <summary>b_ih or b_hh [G·H]: zero except the LSTM forget block of b_ih, or uniform for PyTorch's scheme.</summary>
    public static Tensor Bias(RecurrentInitialization scheme, RecurrentMode mode, int hidden, bool inputBias, double forgetBias,
        RandomGenerator? generator)
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

        return Tensor.From(values);
    }

    /// <summary>A uniformly distributed n × n orthogonal matrix: Q of the QR decomposition of a standard Gaussian
    /// matrix, each column multiplied by the sign of R's diagonal entry (the decomposition is made unique that way).</summary>
    public static Tensor Orthogonal(long n, RandomGenerator? generator)
    {
        Tensor gaussian = Tensor.Randn([n, n], generator, DType.Float64);
        QrDecomposition qr = gaussian.Qr();
        double[] r = qr.R.ToArray<double>();
        var signs = new double[n];
        for (long k = 0; k < n; k++)
        {
            signs[k] = r[k * n + k] < 0 ? -1 : 1;
        }

        return (qr.Q * Tensor.From<double>(signs, [1, n])).To(DType.Float32);
    }
}
