using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Multiplicative (Luong) attention with the <see cref="LuongScore.Dot"/> or <see cref="LuongScore.General"/>
/// score; weights = softmax over the valid keys, context = Σ weights · values.</summary>
/// <remarks>The general form has one parameter, <c>key_projection.weight</c> [Dq, Dk] (W), applied to the keys.</remarks>
public sealed class LuongAttention : nn.Module<Tensor, Tensor, Tensor, Tensor?, AttentionResult>
{
    [ComponentName(Name = "key_projection")]
    private readonly TorchSharp.Modules.Linear? _keyProjection;

    /// <summary>Creates the layer.</summary>
    /// <param name="score">Scoring function.</param>
    /// <param name="queryFeatures">Query size Dq.</param>
    /// <param name="keyFeatures">Key size Dk (must equal Dq for <see cref="LuongScore.Dot"/>).</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public LuongAttention(LuongScore score, int queryFeatures, int keyFeatures, Generator? generator = null)
        : base(nameof(LuongAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyFeatures, 1);
        Score = score;
        switch (score)
        {
            case LuongScore.Dot when queryFeatures != keyFeatures:
                throw new ArgumentException(
                    $"Dot scoring needs equal query and key sizes; got {queryFeatures} and {keyFeatures}.", nameof(keyFeatures));
            case LuongScore.Dot:
                break;
            case LuongScore.General:
                _keyProjection = Initialization.Linear(keyFeatures, queryFeatures, bias: false, generator);
                register_module("key_projection", _keyProjection);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(score), score, "Unknown Luong score.");
        }
    }

    /// <summary>The scoring function.</summary>
    public LuongScore Score { get; }

    /// <summary>Attends from each query over the keys.</summary>
    /// <param name="query">[B, Dq] (one query per row) or [B, Tq, Dq].</param>
    /// <param name="keys">[B, Tk, Dk].</param>
    /// <param name="values">[B, Tk, Dv].</param>
    /// <param name="keyMask">bool [B, Tk], true at keys that may be attended; null attends all.</param>
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
        Tensor k = _keyProjection is null ? keys : _keyProjection.forward(keys);
        Tensor scores = q.matmul(k.transpose(1, 2));                                // [B, Tq, Tk]
        AttentionResult result = AttentionMath.Finish(scores, AttentionMath.BroadcastKeyMask(keyMask, keys), values,
            singleQuery: query.dim() == 2);
        return new AttentionResult(result.Context.MoveToOuterDisposeScope(), result.Weights.MoveToOuterDisposeScope());
    }
}
