using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Scaled dot-product attention, softmax(Q Kᵀ / √d) V, built from matmul and softmax so that the weights
/// come back with the context (libtorch's fused <c>scaled_dot_product_attention</c> does not return them).</summary>
public static class ScaledDotProductAttention
{
    /// <summary>Attends from every query over the keys.</summary>
    /// <param name="query">[…, Tq, d].</param>
    /// <param name="keys">[…, Tk, d].</param>
    /// <param name="values">[…, Tk, dv].</param>
    /// <param name="mask">bool, broadcastable to […, Tq, Tk], true where a query may attend a key; null attends all.
    /// Every query needs at least one allowed key.</param>
    /// <returns>Context […, Tq, dv] and weights […, Tq, Tk].</returns>
    public static AttentionResult Compute(Tensor query, Tensor keys, Tensor values, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (mask is not null && mask.dtype != ScalarType.Bool)
        {
            throw new ArgumentException($"The mask must be bool (true = attend); got {mask}.", nameof(mask));
        }

        using var scope = torch.NewDisposeScope();
        double scale = 1 / Math.Sqrt(query.shape[^1]);
        Tensor scores = query.matmul(keys.transpose(-2, -1)) * scale;
        Tensor weights = AttentionMath.MaskedSoftmax(scores, mask);
        Tensor context = weights.matmul(values);
        return new AttentionResult(context.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    /// <summary>A causal mask [T, T]: step t may attend steps 0 … t.</summary>
    /// <param name="steps">Number of steps T.</param>
    /// <param name="device">Device of the mask. Default: CPU.</param>
    /// <returns>A bool lower-triangular tensor.</returns>
    public static Tensor CausalMask(long steps, Device? device = null)
    {
        using var scope = torch.NewDisposeScope();
        return torch.ones(steps, steps, ScalarType.Bool, device: device ?? torch.CPU).tril().MoveToOuterDisposeScope();
    }
}
