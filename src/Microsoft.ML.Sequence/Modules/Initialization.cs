using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Initial values for parameters, drawn from the module's generator (or libtorch's global one when null).
/// TorchSharp's own <c>nn.init</c> functions draw from the global generator for several schemes, so modules that must
/// be reproducible from one seed use these instead (STYLE D3).</summary>
internal static class Initialization
{
    /// <summary>Float32 values drawn from U(−<paramref name="bound"/>, <paramref name="bound"/>), created in the current scope.</summary>
    public static Tensor Uniform(long[] shape, double bound, Generator? generator) =>
        torch.empty(shape, ScalarType.Float32).uniform_(-bound, bound, generator);

    /// <summary>Float32 values drawn from N(0, 1), created in the current scope.</summary>
    public static Tensor Normal(long[] shape, Generator? generator) => torch.randn(shape, ScalarType.Float32, generator: generator);

    /// <summary>TorchSharp's <c>nn.Linear</c> with PyTorch's default values, U(−1/√in, 1/√in) for weight and bias, drawn
    /// from <paramref name="generator"/> instead of the global generator.</summary>
    public static TorchSharp.Modules.Linear Linear(long inputs, long outputs, bool bias, Generator? generator)
    {
        TorchSharp.Modules.Linear linear = nn.Linear(inputs, outputs, hasBias: bias);
        double bound = 1 / Math.Sqrt(inputs);
        using (no_grad())
        {
            linear.weight!.uniform_(-bound, bound, generator);
            linear.bias?.uniform_(-bound, bound, generator);
        }

        return linear;
    }

    /// <summary>TorchSharp's <c>nn.Embedding</c> with N(0, 1) rows drawn from <paramref name="generator"/> and row 0
    /// (PAD, the ML.NET missing key) zero and without gradient.</summary>
    public static TorchSharp.Modules.Embedding Embedding(long rows, long dimension, Generator? generator)
    {
        TorchSharp.Modules.Embedding embedding = nn.Embedding(rows, dimension, padding_idx: 0);
        using (no_grad())
        {
            embedding.weight!.normal_(0, 1, generator);
            embedding.weight![0].zero_();
        }

        return embedding;
    }

    /// <summary>Overwrites a parameter's values without recording the copy in autograd.</summary>
    public static void Assign(Tensor parameter, Tensor values)
    {
        using var noGrad = torch.no_grad();
        parameter.copy_(values);
    }
}
