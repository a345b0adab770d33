using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Shared pieces of the attention layers.</summary>
internal static class AttentionMath
{
    /// <summary>Softmax over the last dimension with masked-out keys at exactly 0. Every row needs at least one valid key.</summary>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor? keyMask)
    {
        if (keyMask is null)
        {
            return scores.Softmax(-1);
        }

        using var scope = TensorScope.Begin();
        return scope.MoveToOuter(scores.MaskedFill(keyMask.LogicalNot(), double.NegativeInfinity).Softmax(-1));
    }

    /// <summary>Validates a key mask [B, Tk] (bool, true = attend) against keys [B, Tk, …] and returns it shaped to
    /// broadcast over scores [B, Tq, Tk].</summary>
    public static Tensor? BroadcastKeyMask(Tensor? keyMask, Tensor keys)
    {
        if (keyMask is null)
        {
            return null;
        }

        if (keyMask.DType != DType.Bool || keyMask.Rank != 2 || keyMask.Size(0) != keys.Size(0) || keyMask.Size(1) != keys.Size(1))
        {
            throw new ArgumentException(
                $"The key mask must be bool [{keys.Size(0)}, {keys.Size(1)}] (true = attend); got {keyMask}.", nameof(keyMask));
        }

        return keyMask.Unsqueeze(1);
    }

    /// <summary>Promotes a single query [B, D] to a query sequence [B, 1, D].</summary>
    public static Tensor AsSequence(Tensor query, string name)
    {
        return query.Rank switch
        {
            2 => query.Unsqueeze(1),
            3 => query,
            _ => throw new ArgumentException($"The query must be [batch, features] or [batch, steps, features]; got {query}.", name),
        };
    }

    public static void CheckKeysAndValues(Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Rank != 3 || values.Rank != 3 || keys.Size(0) != values.Size(0) || keys.Size(1) != values.Size(1))
        {
            throw new ArgumentException(
                $"Keys and values must be [batch, steps, features] with the same batch and steps; got keys {keys}, values {values}.",
                nameof(values));
        }
    }

    /// <summary>Context and weights for scores [B, Tq, Tk], squeezed back to one query per row when the query was 2-D.</summary>
    public static AttentionResult Finish(Tensor scores, Tensor? mask, Tensor values, bool singleQuery)
    {
        using var scope = TensorScope.Begin();
        Tensor weights = MaskedSoftmax(scores, mask);
        Tensor context = weights.MatMul(values);
        if (singleQuery)
        {
            weights = weights.Squeeze(1);
            context = context.Squeeze(1);
        }

        return new AttentionResult(scope.MoveToOuter(context), scope.MoveToOuter(weights));
    }
}
