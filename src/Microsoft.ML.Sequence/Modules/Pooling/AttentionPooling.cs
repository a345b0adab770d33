using Microsoft.ML.Sequence.Modules.Attention;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Pooling;

/// <summary>
/// Attention pooling with a learned query: u_t = tanh(W s_t + b), a = softmax over valid t of (u_t · q),
/// pooled = Σ_t a_t s_t. Padding steps get weight exactly 0.
/// </summary>
/// <remarks>Parameters: <c>projection.weight</c> [A, F], <c>projection.bias</c> [A], <c>query</c> [A] (initialised
/// U(−1/√A, 1/√A)). The weights are returned with the result so they can be shown per token.</remarks>
public sealed class AttentionPooling : Module
{
    private readonly Linear _projection;
    private readonly ModuleParameter _query;

    /// <summary>Creates the pooling layer.</summary>
    /// <param name="features">Feature size F of the states.</param>
    /// <param name="attentionSize">Size A of the projection and the query. Default: same as <paramref name="features"/>.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public AttentionPooling(int features, int? attentionSize = null, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        int size = attentionSize ?? features;
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(attentionSize));
        _projection = RegisterModule("projection", new Linear(features, size, generator: generator));
        using var scope = TensorScope.Begin();
        double bound = 1 / Math.Sqrt(size);
        _query = RegisterParameter("query", Tensor.Rand([size], generator) * (2 * bound) - bound);
    }

    /// <summary>Pools each row's valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B], values in [1, T].</param>
    /// <returns>Pooled [B, F] and weights [B, T].</returns>
    public AttentionResult Forward(Tensor states, Tensor lengths)
    {
        SequencePooling.CheckStates(states, lengths);
        using var scope = TensorScope.Begin();
        Tensor scores = _projection.Forward(states).Tanh().MatMul(_query.Value);          // [B, T]
        Tensor valid = SequenceMask.FromLengths(lengths, states.Size(1));
        Tensor weights = scores.MaskedFill(valid.LogicalNot(), double.NegativeInfinity).Softmax(-1);
        Tensor pooled = weights.Unsqueeze(1).MatMul(states).Squeeze(1);                    // [B, F]
        return new AttentionResult(scope.MoveToOuter(pooled), scope.MoveToOuter(weights));
    }
}
