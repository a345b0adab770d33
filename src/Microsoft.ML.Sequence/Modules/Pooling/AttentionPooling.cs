using Microsoft.ML.Sequence.Modules.Attention;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Pooling;

/// <summary>
/// Attention pooling with a learned query: u_t = tanh(W s_t + b), a = softmax over valid t of (u_t · q),
/// pooled = Σ_t a_t s_t. Padding steps get weight exactly 0.
/// </summary>
/// <remarks>Parameters: <c>projection.weight</c> [A, F], <c>projection.bias</c> [A], <c>query</c> [A] (initialised
/// U(−1/√A, 1/√A)). The weights are returned with the result so they can be shown per token.</remarks>
public sealed class AttentionPooling : nn.Module<Tensor, Tensor, AttentionResult>
{
    // Field names given as the registered (state-dict) names: TorchSharp re-registers fields by these names when the
    // module becomes a child of another module or changes dtype or device.
    [ComponentName(Name = "projection")]
    private readonly TorchSharp.Modules.Linear _projection;

    [ComponentName(Name = "query")]
    private Parameter _query;

    /// <summary>Creates the pooling layer.</summary>
    /// <param name="features">Feature size F of the states.</param>
    /// <param name="attentionSize">Size A of the projection and the query. Default: same as <paramref name="features"/>.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public AttentionPooling(int features, int? attentionSize = null, Generator? generator = null)
        : base(nameof(AttentionPooling))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        int size = attentionSize ?? features;
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(attentionSize));
        _projection = Initialization.Linear(features, size, bias: true, generator);
        _query = AttentionMath.NewParameter(Initialization.Uniform([size], 1 / Math.Sqrt(size), generator));
        register_module("projection", _projection);
        register_parameter("query", _query);
    }

    /// <summary>Pools each row's valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B], values in [1, T].</param>
    /// <returns>Pooled [B, F] and weights [B, T].</returns>
    public AttentionResult Forward(Tensor states, Tensor lengths) => call(states, lengths);

    /// <inheritdoc cref="Forward(Tensor, Tensor)"/>
    public override AttentionResult forward(Tensor states, Tensor lengths)
    {
        SequencePooling.CheckStates(states, lengths);
        using var scope = torch.NewDisposeScope();
        Tensor scores = _projection.forward(states).tanh().matmul(_query);                 // [B, T]
        Tensor valid = SequenceMask.FromLengths(lengths, states.shape[1]);
        Tensor weights = scores.masked_fill(valid.logical_not(), double.NegativeInfinity).softmax(-1);
        Tensor pooled = weights.unsqueeze(1).matmul(states).squeeze(1);                   // [B, F]
        return new AttentionResult(pooled.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
