using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>
/// Additive (Bahdanau) attention: score(q, k) = vᵀ tanh(W_q q + W_k k + b), weights = softmax over the valid keys,
/// context = Σ weights · values.
/// </summary>
/// <remarks>Parameters: <c>query_projection.weight</c> [A, Dq] (no bias), <c>key_projection.weight</c> [A, Dk],
/// <c>key_projection.bias</c> [A], <c>v</c> [A]. Keys can be projected once per sequence and reused for every decoder
/// step by passing the same keys.</remarks>
public sealed class AdditiveAttention : Module
{
    private readonly Linear _queryProjection;
    private readonly Linear _keyProjection;
    private readonly ModuleParameter _v;

    /// <summary>Creates the layer.</summary>
    /// <param name="queryFeatures">Query size Dq.</param>
    /// <param name="keyFeatures">Key size Dk.</param>
    /// <param name="attentionSize">Hidden size A of the scoring network.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public AdditiveAttention(int queryFeatures, int keyFeatures, int attentionSize, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attentionSize, 1);
        _queryProjection = RegisterModule("query_projection", new Linear(queryFeatures, attentionSize, bias: false, generator));
        _keyProjection = RegisterModule("key_projection", new Linear(keyFeatures, attentionSize, bias: true, generator));
        using var scope = TensorScope.Begin();
        double bound = 1 / Math.Sqrt(attentionSize);
        _v = RegisterParameter("v", Tensor.Rand([attentionSize], generator) * (2 * bound) - bound);
    }

    /// <summary>Attends from each query over the keys.</summary>
    /// <param name="query">[B, Dq] (one query per row) or [B, Tq, Dq].</param>
    /// <param name="keys">[B, Tk, Dk].</param>
    /// <param name="values">[B, Tk, Dv].</param>
    /// <param name="keyMask">bool [B, Tk], true at keys that may be attended (padding false); null attends all.</param>
    /// <returns>Context [B, Dv] or [B, Tq, Dv] and weights [B, Tk] or [B, Tq, Tk].</returns>
    public AttentionResult Forward(Tensor query, Tensor keys, Tensor values, Tensor? keyMask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        AttentionMath.CheckKeysAndValues(keys, values);
        using var scope = TensorScope.Begin();
        Tensor q = AttentionMath.AsSequence(query, nameof(query));
        Tensor projectedQuery = _queryProjection.Forward(q).Unsqueeze(2);      // [B, Tq, 1, A]
        Tensor projectedKeys = _keyProjection.Forward(keys).Unsqueeze(1);      // [B, 1, Tk, A]
        Tensor scores = (projectedQuery + projectedKeys).Tanh().MatMul(_v.Value); // [B, Tq, Tk]
        AttentionResult result = AttentionMath.Finish(scores, AttentionMath.BroadcastKeyMask(keyMask, keys), values,
            singleQuery: query.Rank == 2);
        return new AttentionResult(scope.MoveToOuter(result.Context), scope.MoveToOuter(result.Weights));
    }
}
