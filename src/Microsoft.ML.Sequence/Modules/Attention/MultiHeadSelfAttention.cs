using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>
/// Multi-head self-attention: the input is projected to queries, keys and values, split into h heads of size E / h,
/// each head runs <see cref="ScaledDotProductAttention"/>, and the concatenated heads pass an output projection.
/// </summary>
/// <remarks>Parameters: <c>query_projection</c>, <c>key_projection</c>, <c>value_projection</c>,
/// <c>output_projection</c>, each a <see cref="Linear"/> E → E with bias.</remarks>
public sealed class MultiHeadSelfAttention : Module
{
    private readonly Linear _query, _key, _value, _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="embeddingSize">Feature size E of the input and output.</param>
    /// <param name="heads">Number of heads h; must divide E.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public MultiHeadSelfAttention(int embeddingSize, int heads, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (embeddingSize % heads != 0)
        {
            throw new ArgumentException($"The embedding size {embeddingSize} is not divisible by {heads} heads.", nameof(heads));
        }

        EmbeddingSize = embeddingSize;
        Heads = heads;
        _query = RegisterModule("query_projection", new Linear(embeddingSize, embeddingSize, generator: generator));
        _key = RegisterModule("key_projection", new Linear(embeddingSize, embeddingSize, generator: generator));
        _value = RegisterModule("value_projection", new Linear(embeddingSize, embeddingSize, generator: generator));
        _output = RegisterModule("output_projection", new Linear(embeddingSize, embeddingSize, generator: generator));
    }

    /// <summary>Feature size E.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Every step attends over the valid steps of its row (and, when <paramref name="causal"/>, only the
    /// steps up to itself).</summary>
    /// <param name="input">[B, T, E].</param>
    /// <param name="keyMask">bool [B, T], true at valid (non-padding) steps; null when every step is valid.</param>
    /// <param name="causal">Forbid attending to later steps. Default: false.</param>
    /// <returns>Context [B, T, E] and weights [B, h, T, T].</returns>
    public AttentionResult Forward(Tensor input, Tensor? keyMask = null, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Size(2) != EmbeddingSize)
        {
            throw new ArgumentException($"The input must be [batch, steps, {EmbeddingSize}]; got {input}.", nameof(input));
        }

        using var scope = TensorScope.Begin();
        long batch = input.Size(0), steps = input.Size(1), headSize = EmbeddingSize / Heads;
        Tensor Split(Tensor x) => x.View(batch, steps, Heads, headSize).Transpose(1, 2);   // [B, h, T, d]
        Tensor? mask = AttentionMath.BroadcastKeyMask(keyMask, input)?.Unsqueeze(1);        // [B, 1, 1, T]
        if (causal)
        {
            Tensor causalMask = ScaledDotProductAttention.CausalMask(steps, input.Device);  // [T, T]
            mask = mask is null ? causalMask : mask.LogicalAnd(causalMask);
        }

        AttentionResult heads = ScaledDotProductAttention.Compute(
            Split(_query.Forward(input)), Split(_key.Forward(input)), Split(_value.Forward(input)), mask);
        Tensor merged = heads.Context.Transpose(1, 2).Reshape(batch, steps, EmbeddingSize);
        return new AttentionResult(scope.MoveToOuter(_output.Forward(merged)), scope.MoveToOuter(heads.Weights));
    }
}
