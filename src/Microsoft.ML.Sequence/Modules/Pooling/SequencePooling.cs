using Microsoft.ML.Sequence.Torch;

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
        using var scope = TensorScope.Begin();
        long batch = states.Size(0), features = states.Size(2);
        Tensor index = (lengths - 1).View(batch, 1, 1).Expand(batch, 1, features);
        Tensor last = states.Gather(1, index).Squeeze(1);
        if (!bidirectional)
        {
            return scope.MoveToOuter(last);
        }

        if (features % 2 != 0)
        {
            throw new ArgumentException($"Bidirectional states need an even feature size; got {features}.", nameof(states));
        }

        long half = features / 2;
        Tensor forward = last.Narrow(1, 0, half);
        Tensor backward = states.Select(1, 0).Narrow(1, half, half);
        return scope.MoveToOuter(Tensor.Cat([forward, backward], 1));
    }

    /// <summary>Elementwise maximum over the valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B, F].</returns>
    public static Tensor Max(Tensor states, Tensor lengths)
    {
        CheckStates(states, lengths);
        using var scope = TensorScope.Begin();
        Tensor padding = SequenceMask.FromLengths(lengths, states.Size(1)).LogicalNot().Unsqueeze(-1);
        return scope.MoveToOuter(states.MaskedFill(padding, double.NegativeInfinity).Max([1]));
    }

    /// <summary>Mean over the valid steps.</summary>
    /// <param name="states">[B, T, F].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B, F].</returns>
    public static Tensor Mean(Tensor states, Tensor lengths)
    {
        CheckStates(states, lengths);
        using var scope = TensorScope.Begin();
        Tensor padding = SequenceMask.FromLengths(lengths, states.Size(1)).LogicalNot().Unsqueeze(-1);
        Tensor sum = states.MaskedFill(padding, 0).Sum([1]);
        return scope.MoveToOuter(sum / lengths.To(states.DType).Unsqueeze(1));
    }

    internal static void CheckStates(Tensor states, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(lengths);
        if (states.Rank != 3)
        {
            throw new ArgumentException($"States must be [batch, time, features]; got {states}.", nameof(states));
        }

        if (lengths.Rank != 1 || lengths.Size(0) != states.Size(0) || lengths.DType != DType.Int64)
        {
            throw new ArgumentException(
                $"Lengths must be an int64 vector with one entry per row ({states.Size(0)}); got {lengths}.", nameof(lengths));
        }
    }
}
