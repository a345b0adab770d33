using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Shared pieces of the attention layers.</summary>
internal static class AttentionMath
{
    /// <summary>A parameter that no dispose scope owns: a module built inside a caller's scope keeps its weights.</summary>
    public static Parameter NewParameter(Tensor values)
    {
        var parameter = new Parameter(values, requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>Softmax over the last dimension with masked-out keys at exactly 0. Every row needs at least one valid key.</summary>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor? keyMask)
    {
        if (keyMask is null)
        {
            return scores.softmax(-1);
        }

        using var scope = torch.NewDisposeScope();
        return scores.masked_fill(keyMask.logical_not(), double.NegativeInfinity).softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Validates a key mask [B, Tk] (bool, true = attend) against keys [B, Tk, …] and returns it shaped to
    /// broadcast over scores [B, Tq, Tk].</summary>
    public static Tensor? BroadcastKeyMask(Tensor? keyMask, Tensor keys)
    {
        if (keyMask is null)
        {
            return null;
        }

        if (keyMask.dtype != ScalarType.Bool || keyMask.dim() != 2 || keyMask.shape[0] != keys.shape[0] || keyMask.shape[1] != keys.shape[1])
        {
            throw new ArgumentException(
                $"The key mask must be bool [{keys.shape[0]}, {keys.shape[1]}] (true = attend); got {keyMask}.", nameof(keyMask));
        }

        return keyMask.unsqueeze(1);
    }

    /// <summary>Promotes a single query [B, D] to a query sequence [B, 1, D].</summary>
    public static Tensor AsSequence(Tensor query, string name)
    {
        return query.dim() switch
        {
            2 => query.unsqueeze(1),
            3 => query,
            _ => throw new ArgumentException($"The query must be [batch, features] or [batch, steps, features]; got {query}.", name),
        };
    }

    public static void CheckKeysAndValues(Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.dim() != 3 || values.dim() != 3 || keys.shape[0] != values.shape[0] || keys.shape[1] != values.shape[1])
        {
            throw new ArgumentException(
                $"Keys and values must be [batch, steps, features] with the same batch and steps; got keys {keys}, values {values}.",
                nameof(values));
        }
    }

    /// <summary>Context and weights for scores [B, Tq, Tk], squeezed back to one query per row when the query was 2-D.</summary>
    public static AttentionResult Finish(Tensor scores, Tensor? mask, Tensor values, bool singleQuery)
    {
        using var scope = torch.NewDisposeScope();
        Tensor weights = MaskedSoftmax(scores, mask);
        Tensor context = weights.matmul(values);
        if (singleQuery)
        {
            weights = weights.squeeze(1);
            context = context.squeeze(1);
        }

        return new AttentionResult(context.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
