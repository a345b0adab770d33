using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>
/// Multi-head self-attention: the input is projected to queries, keys and values, split into h heads of size E / h,
/// each head runs <see cref="ScaledDotProductAttention"/>, and the concatenated heads pass an output projection.
/// </summary>
/// <remarks>Parameters: <c>query_projection</c>, <c>key_projection</c>, <c>value_projection</c>,
/// <c>output_projection</c>, each a TorchSharp <c>nn.Linear</c> E → E with bias (PyTorch's default initialisation,
/// drawn from the generator).</remarks>
public sealed class MultiHeadSelfAttention : nn.Module<Tensor, Tensor?, bool, AttentionResult>
{
    [ComponentName(Name = "query_projection")]
    private readonly TorchSharp.Modules.Linear _query;

    [ComponentName(Name = "key_projection")]
    private readonly TorchSharp.Modules.Linear _key;

    [ComponentName(Name = "value_projection")]
    private readonly TorchSharp.Modules.Linear _value;

    [ComponentName(Name = "output_projection")]
    private readonly TorchSharp.Modules.Linear _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="embeddingSize">Feature size E of the input and output.</param>
    /// <param name="heads">Number of heads h; must divide E.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public MultiHeadSelfAttention(int embeddingSize, int heads, Generator? generator = null)
        : base(nameof(MultiHeadSelfAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (embeddingSize % heads != 0)
        {
            throw new ArgumentException($"The embedding size {embeddingSize} is not divisible by {heads} heads.", nameof(heads));
        }

        EmbeddingSize = embeddingSize;
        Heads = heads;
        _query = Initialization.Linear(embeddingSize, embeddingSize, bias: true, generator);
        _key = Initialization.Linear(embeddingSize, embeddingSize, bias: true, generator);
        _value = Initialization.Linear(embeddingSize, embeddingSize, bias: true, generator);
        _output = Initialization.Linear(embeddingSize, embeddingSize, bias: true, generator);
        register_module("query_projection", _query);
        register_module("key_projection", _key);
        register_module("value_projection", _value);
        register_module("output_projection", _output);
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
    public AttentionResult Forward(Tensor input, Tensor? keyMask = null, bool causal = false) => call(input, keyMask, causal);

    /// <inheritdoc cref="Forward(Tensor, Tensor?, bool)"/>
    public override AttentionResult forward(Tensor input, Tensor? keyMask, bool causal)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 3 || input.shape[2] != EmbeddingSize)
        {
            throw new ArgumentException($"The input must be [batch, steps, {EmbeddingSize}]; got {input}.", nameof(input));
        }

        using var scope = torch.NewDisposeScope();
        long batch = input.shape[0], steps = input.shape[1], headSize = EmbeddingSize / Heads;
        Tensor Split(Tensor x) => x.view(batch, steps, Heads, headSize).transpose(1, 2);   // [B, h, T, d]
        Tensor? mask = AttentionMath.BroadcastKeyMask(keyMask, input)?.unsqueeze(1);        // [B, 1, 1, T]
        if (causal)
        {
            Tensor causalMask = ScaledDotProductAttention.CausalMask(steps, input.device);  // [T, T]
            mask = mask is null ? causalMask : mask.logical_and(causalMask);
        }

        AttentionResult heads = ScaledDotProductAttention.Compute(
            Split(_query.forward(input)), Split(_key.forward(input)), Split(_value.forward(input)), mask);
        Tensor merged = heads.Context.transpose(1, 2).reshape(batch, steps, EmbeddingSize);
        return new AttentionResult(_output.forward(merged).MoveToOuterDisposeScope(), heads.Weights.MoveToOuterDisposeScope());
    }
}
