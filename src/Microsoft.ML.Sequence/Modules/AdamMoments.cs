using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>The moment estimates and step counts shared by <see cref="AdamOptimizer"/> and
/// <see cref="AdamWOptimizer"/>, with PyTorch 1.13's bias-corrected update.</summary>
internal sealed class AdamMoments(int count, double beta1, double beta2, double epsilon) : IDisposable
{
    private readonly Tensor?[] _first = new Tensor?[count];
    private readonly Tensor?[] _second = new Tensor?[count];
    private readonly long[] _steps = new long[count];

    /// <summary>m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − (lr / bc₁) · m / (√v / √bc₂ + ε).</summary>
    public void Apply(int index, Tensor value, Tensor gradient, double learningRate)
    {
        Tensor first = _first[index] ??= Keep(Tensor.Zeros(value.Shape.ToArray(), value.DType, value.Device));
        Tensor second = _second[index] ??= Keep(Tensor.Zeros(value.Shape.ToArray(), value.DType, value.Device));
        long step = ++_steps[index];
        first.MulInPlace(beta1).AddInPlace(gradient, 1 - beta1);
        second.MulInPlace(beta2).AddcmulInPlace(gradient, gradient, 1 - beta2);
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = learningRate / biasCorrection1;
        Tensor denominator = second.Sqrt().DivInPlace(Math.Sqrt(biasCorrection2)).AddInPlace(epsilon);
        value.AddcdivInPlace(first, denominator, -stepSize);
    }

    public void Dispose()
    {
        foreach (Tensor?[] states in new[] { _first, _second })
        {
            for (int i = 0; i < states.Length; i++)
            {
                states[i]?.Dispose();
                states[i] = null;
            }
        }
    }

    private static Tensor Keep(Tensor state) => TensorScope.Current?.Keep(state) ?? state;
}
