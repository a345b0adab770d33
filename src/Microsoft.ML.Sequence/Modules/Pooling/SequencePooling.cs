using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Pooling;

/// <summary>Length-aware pooling over time: each result equals pooling that row's valid steps alone.</summary>
/// <remarks>States are batch-first [B, T, F]; lengths are int64 [B] with values in [1, T] on the states' device.</remarks>
public static class SequencePooling
{
    /// <summary>The state at each row's last valid step.</summary>
    /// <param name="states">[B, T, F]; for bidirectional layers F = 2H with the forward half first.</param>
    /// <param name="lengths">int64 [B].</param>
    /// <param name="bidirectional">Take the backward half at t = 0 instead of t = length − 1. Default: false.</param>
    /// <returns>[B, F].</returns>
    public static Tensor Last(Tensor states, Tensor lengths, bool bidirectional = false)
    {
        CheckStates(states, lengths);
        long batch = states.shape[0], features = states.shape[2];
        if (bidirectional && features % 2 != 0)
        {
            throw new ArgumentException($"Bidirectional states need an even feature size; got {features}.", nameof(states));
        }

        using var scope = torch.NewDisposeScope();
        Tensor index = (lengths - 1).view(batch, 1, 1).expand(batch, 1, features);
        Tensor last = states.gather(1, index).squeeze(1);
        if (!bidirectional)
        {
            return last.MoveToOuterDisposeScope();
        }

        long half = features / 2;
        Tensor forward = last.narrow(1, 0, half);
        Tensor backward = states.select(1, 0).narrow(1, half, half);
        return torch.cat([forward, backward], dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Elementwise maximum over the valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B, F].</returns>
    public static Tensor Max(Tensor states, Tensor lengths)
    {
        CheckStates(states, lengths);
        using var scope = torch.NewDisposeScope();
        Tensor padding = SequenceMask.FromLengths(lengths, states.shape[1]).logical_not().unsqueeze(-1);
        return states.masked_fill(padding, double.NegativeInfinity).amax([1]).MoveToOuterDisposeScope();
    }

    /// <summary>Mean over the valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B, F].</returns>
    public static Tensor Mean(Tensor states, Tensor lengths)
    {
        CheckStates(states, lengths);
        using var scope = torch.NewDisposeScope();
        Tensor padding = SequenceMask.FromLengths(lengths, states.shape[1]).logical_not().unsqueeze(-1);
        Tensor sum = states.masked_fill(padding, 0).sum(dim: 1);
        return (sum / lengths.to(states.dtype).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    internal static void CheckStates(Tensor states, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(lengths);
        if (states.dim() != 3)
        {
            throw new ArgumentException($"States must be [batch, time, features]; got {states}.", nameof(states));
        }

        if (lengths.dim() != 1 || lengths.shape[0] != states.shape[0] || lengths.dtype != ScalarType.Int64)
        {
            throw new ArgumentException(
                $"Lengths must be an int64 vector with one entry per row ({states.shape[0]}); got {lengths}.", nameof(lengths));
        }
    }
}
