using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Scaled dot-product attention, softmax(Q Kᵀ / √d) V, built from matmul and softmax (libtorch 1.13 has no
/// fused kernel).</summary>
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
        if (mask is not null && mask.DType != DType.Bool)
        {
            throw new ArgumentException($"The mask must be bool (true = attend); got {mask}.", nameof(mask));
        }

        using var scope = TensorScope.Begin();
        double scale = 1 / Math.Sqrt(query.Size(-1));
        Tensor scores = query.MatMul(keys.Transpose(-2, -1)) * scale;
        Tensor weights = AttentionMath.MaskedSoftmax(scores, mask);
        Tensor context = weights.MatMul(values);
        return new AttentionResult(scope.MoveToOuter(context), scope.MoveToOuter(weights));
    }

    /// <summary>A causal mask [T, T]: step t may attend steps 0 … t.</summary>
    /// <param name="steps">Number of steps T.</param>
    /// <param name="device">Device of the mask. Default: CPU.</param>
    /// <returns>A bool lower-triangular tensor.</returns>
    public static Tensor CausalMask(long steps, Device? device = null)
    {
        using var scope = TensorScope.Begin();
        return scope.MoveToOuter(Tensor.Ones([steps, steps], DType.Bool, device).Tril());
    }
}
