using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Initial values for parameters, drawn from the module's generator (or libtorch's global one when null).</summary>
internal static class Initialization
{
    /// <summary>Float32 values drawn from U(−<paramref name="bound"/>, <paramref name="bound"/>), created in the current scope.</summary>
    public static Tensor Uniform(ReadOnlySpan<long> shape, double bound, RandomGenerator? generator)
    {
        Tensor unit = Tensor.Rand(shape, generator);
        return unit.MulInPlace(2 * bound).AddInPlace(-bound);
    }

    /// <summary>Float32 values drawn from N(0, 1), created in the current scope.</summary>
    public static Tensor Normal(ReadOnlySpan<long> shape, RandomGenerator? generator) => Tensor.Randn(shape, generator);
}
