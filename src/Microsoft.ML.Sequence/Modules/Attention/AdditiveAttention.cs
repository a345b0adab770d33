using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>
/// Additive (Bahdanau) attention: score(q, k) = vᵀ tanh(W_q q + W_k k + b), weights = softmax over the valid keys,
/// context = Σ weights · values.
/// </summary>
/// <remarks>Parameters: <c>query_projection.weight</c> [A, Dq] (no bias), <c>key_projection.weight</c> [A, Dk],
/// <c>key_projection.bias</c> [A], <c>v</c> [A] (initialised U(−1/√A, 1/√A)). Keys can be projected once per
/// sequence and reused for every decoder step by passing the same keys.</remarks>
public sealed class AdditiveAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, AttentionResult>
{
    [ComponentName(Name = "query_projection")]
    private readonly TorchSharp.Modules.Linear _queryProjection;

    [ComponentName(Name = "key_projection")]
    private readonly TorchSharp.Modules.Linear _keyProjection;

    [ComponentName(Name = "v")]
    private Parameter _v;

    /// <summary>Creates the layer.</summary>
    /// <param name="queryFeatures">Query size Dq.</param>
    /// <param name="keyFeatures">Key size Dk.</param>
    /// <param name="attentionSize">Hidden size A of the scoring network.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public AdditiveAttention(int queryFeatures, int keyFeatures, int attentionSize, Generator? generator = null)
        : base(nameof(AdditiveAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(attentionSize, 1);
        _queryProjection = Initialization.Linear(queryFeatures, attentionSize, bias: false, generator);
        _keyProjection = Initialization.Linear(keyFeatures, attentionSize, bias: true, generator);
        _v = AttentionMath.NewParameter(Initialization.Uniform([attentionSize], 1 / Math.Sqrt(attentionSize), generator));
        register_module("query_projection", _queryProjection);
        register_module("key_projection", _keyProjection);
        register_parameter("v", _v);
    }

    /// <summary>Attends from each query over the keys.</summary>
    /// <param name="query">[B, Dq] (one query per row) or [B, Tq, Dq].</param>
    /// <param name="keys">[B, Tk, Dk].</param>
    /// <param name="values">[B, Tk, Dv].</param>
    /// <param name="keyMask">bool [B, Tk], true at keys that may be attended (padding false); null attends all.</param>
    /// <returns>Context [B, Dv] or [B, Tq, Dv] and weights [B, Tk] or [B, Tq, Tk].</returns>
    public AttentionResult Forward(Tensor query, Tensor keys, Tensor values, Tensor? keyMask = null) =>
        call(query, keys, values, keyMask);

    /// <inheritdoc cref="Forward(Tensor, Tensor, Tensor, Tensor?)"/>
    public override AttentionResult forward(Tensor query, Tensor keys, Tensor values, Tensor? keyMask)
    {
        ArgumentNullException.ThrowIfNull(query);
        AttentionMath.CheckKeysAndValues(keys, values);
        using var scope = torch.NewDisposeScope();
        Tensor q = AttentionMath.AsSequence(query, nameof(query));
        Tensor projectedQuery = _queryProjection.forward(q).unsqueeze(2);          // [B, Tq, 1, A]
        Tensor projectedKeys = _keyProjection.forward(keys).unsqueeze(1);          // [B, 1, Tk, A]
        Tensor scores = (projectedQuery + projectedKeys).tanh().matmul(_v);        // [B, Tq, Tk]
        AttentionResult result = AttentionMath.Finish(scores, AttentionMath.BroadcastKeyMask(keyMask, keys), values,
            singleQuery: query.dim() == 2);
        return new AttentionResult(result.Context.MoveToOuterDisposeScope(), result.Weights.MoveToOuterDisposeScope());
    }

    /// <summary>W_k k + b for keys [B, Tk, Dk] → [B, Tk, A]: computed once per sequence by a step-by-step decoder and
    /// handed to <see cref="AttendProjected"/> at every step, instead of projecting the same keys again each step.</summary>
    internal Tensor ProjectKeys(Tensor keys) => _keyProjection.forward(keys);

    /// <summary>The same result as <see cref="Forward"/> for one query per row [B, Dq], with keys already projected by
    /// <see cref="ProjectKeys"/> (no mask): context [B, Dv] and weights [B, Tk].</summary>
    internal AttentionResult AttendProjected(Tensor query, Tensor projectedKeys, Tensor values)
    {
        using var scope = torch.NewDisposeScope();
        Tensor scores = (_queryProjection.forward(query).unsqueeze(1) + projectedKeys).tanh().matmul(_v);   // [B, Tk]
        Tensor weights = scores.softmax(-1);
        Tensor context = weights.unsqueeze(1).bmm(values).squeeze(1);                                       // [B, Dv]
        return new AttentionResult(context.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
