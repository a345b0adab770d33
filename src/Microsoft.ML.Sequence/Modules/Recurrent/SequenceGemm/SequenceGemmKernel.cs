using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// A variable-length LSTM / GRU kernel for one layer and one direction whose backward pass forms each weight gradient
/// with one matrix product over all steps (dW_ih = Σ gᵀx, dW_hh = Σ gᵀh_prev), where autograd through libtorch's CPU
/// kernel forms and adds a [G·H, H] product per step. It runs on the time-major packed layout (rows sorted by length
/// descending, the active rows shrinking), like <c>pack_padded_sequence</c>; the values are those of
/// <c>nn.LSTM</c> / <c>nn.GRU</c> up to rounding. No double backward, no in-kernel dropout.
/// </summary>
internal static class SequenceGemmKernel
{
    /// <summary>Runs one layer and direction over a padded batch with per-row lengths.</summary>
    /// <param name="mode"><see cref="RecurrentMode.Lstm"/> (gates i, f, g, o) or <see cref="RecurrentMode.Gru"/> (r, z, n).</param>
    /// <param name="input">[B, T, F] batch-first, padded.</param>
    /// <param name="lengths">[B] lengths in any order, each in 1..T.</param>
    /// <param name="weightIh">W_ih [G·H, F].</param>
    /// <param name="weightHh">W_hh [G·H, H].</param>
    /// <param name="biasIh">b_ih [G·H] or null.</param>
    /// <param name="biasHh">b_hh [G·H] or null.</param>
    /// <param name="h0">[B, H] initial hidden state or null for zeros.</param>
    /// <param name="c0">[B, H] initial LSTM cell state or null for zeros; must be null for GRU.</param>
    /// <param name="reverse">The backward direction: each row is read from its own last valid step back to step 0.</param>
    /// <returns>Output [B, T, H] (zero past each row's end) and the final states, rows in the caller's order.</returns>
    public static SequenceGemmResult Run(RecurrentMode mode, Tensor input, long[] lengths, Tensor weightIh, Tensor weightHh,
        Tensor? biasIh, Tensor? biasHh, Tensor? h0, Tensor? c0, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lengths);
        CheckLengths(input, lengths);
        long batch = input.shape[0], steps = input.shape[1], features = input.shape[2];
        using var scope = torch.NewDisposeScope();
        var layout = SequenceGemmLayout.FromLengths(lengths);
        Device device = input.device;
        Tensor packed = input.reshape(batch * steps, features).index_select(0, torch.tensor(layout.PackIndex(steps), device: device));
        Tensor sort = torch.tensor(layout.SortedRows, device: device);
        SequenceGemmResult result = RunPacked(mode, packed, layout, weightIh, weightHh, biasIh, biasHh,
            h0?.index_select(0, sort), c0?.index_select(0, sort), reverse);
        Tensor unsort = torch.tensor(layout.UnsortIndex(), device: device);
        long hidden = result.Output.shape[1];
        Tensor output = torch.cat([result.Output, torch.zeros(1, hidden, dtype: input.dtype, device: device)], 0)
            .index_select(0, torch.tensor(layout.UnpackIndex(steps), device: device))
            .view(batch, steps, hidden);
        return new SequenceGemmResult(output.MoveToOuterDisposeScope(),
            result.Hidden.index_select(0, unsort).MoveToOuterDisposeScope(),
            result.Cell?.index_select(0, unsort).MoveToOuterDisposeScope());
    }

    /// <summary>Runs one layer and direction over packed data (rows already sorted, states in sorted order).</summary>
    /// <param name="mode"><see cref="RecurrentMode.Lstm"/> or <see cref="RecurrentMode.Gru"/>.</param>
    /// <param name="packed">[N, F] time-major packed data in <paramref name="layout"/>.</param>
    /// <param name="layout">Batch sizes per step.</param>
    /// <param name="weightIh">W_ih [G·H, F].</param>
    /// <param name="weightHh">W_hh [G·H, H].</param>
    /// <param name="biasIh">b_ih [G·H] or null.</param>
    /// <param name="biasHh">b_hh [G·H] or null.</param>
    /// <param name="h0">[B, H] in sorted order, or null for zeros.</param>
    /// <param name="c0">[B, H] in sorted order, or null for zeros (LSTM only).</param>
    /// <param name="reverse">The backward direction.</param>
    /// <returns>Output [N, H] packed and the final states [B, H] in sorted order.</returns>
    public static SequenceGemmResult RunPacked(RecurrentMode mode, Tensor packed, SequenceGemmLayout layout, Tensor weightIh,
        Tensor weightHh, Tensor? biasIh, Tensor? biasHh, Tensor? h0, Tensor? c0, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(weightIh);
        ArgumentNullException.ThrowIfNull(weightHh);
        int gates = mode switch
        {
            RecurrentMode.Lstm => 4,
            RecurrentMode.Gru => 3,
            _ => throw new ArgumentException(
                $"The sequence-GEMM kernel computes LSTM and GRU; got {mode}. Use the TorchSharp backend for Elman RNNs.", nameof(mode)),
        };
        long hidden = weightHh.shape[1], features = packed.shape[1], batch = layout.Batch;
        Check(weightIh, [gates * hidden, features], nameof(weightIh));
        Check(weightHh, [gates * hidden, hidden], nameof(weightHh));
        Check(biasIh, [gates * hidden], nameof(biasIh));
        Check(biasHh, [gates * hidden], nameof(biasHh));
        Check(h0, [batch, hidden], nameof(h0));
        Check(packed, [layout.Total, features], nameof(packed));
        // Without a graph to record (inference), the forward pass skips what only backward needs.
        bool record = torch.is_grad_enabled() && new[] { packed, weightIh, weightHh, biasIh, biasHh, h0, c0 }
            .Any(t => t is not null && t.requires_grad);
        if (mode == RecurrentMode.Gru)
        {
            if (c0 is not null)
            {
                throw new ArgumentException("GRU has no cell state; pass c0 only for LSTM.", nameof(c0));
            }

            Tensor y = SequenceGemmGruFunction.apply(packed, weightIh, weightHh, biasIh!, biasHh!, h0!, layout, reverse, record,
                record && packed.requires_grad)[0];
            return new SequenceGemmResult(y, SequenceGemmSteps.Final(layout, reverse, y), null);
        }

        Check(c0, [batch, hidden], nameof(c0));
        // One output [N, 2H] (y | c), see SequenceGemmLstmFunction; the final states are rows of it.
        Tensor both = SequenceGemmLstmFunction.apply(packed, weightIh, weightHh, biasIh!, biasHh!, h0!, c0!, layout, reverse, record,
            record && packed.requires_grad)[0];
        Tensor output = both.narrow(1, 0, hidden), cells = both.narrow(1, hidden, hidden);
        return new SequenceGemmResult(output, SequenceGemmSteps.Final(layout, reverse, output), SequenceGemmSteps.Final(layout, reverse, cells));
    }

    /// <summary>Runs both directions of one bidirectional LSTM layer over a padded batch with per-row lengths, in one
    /// step loop (<see cref="SequenceGemmBiLstmFunction"/>).</summary>
    /// <param name="input">[B, T, F] batch-first, padded.</param>
    /// <param name="lengths">[B] lengths in any order, each in 1..T.</param>
    /// <param name="forward">The forward direction's W_ih [4H, F], W_hh [4H, H] and, optionally, b_ih, b_hh [4H].</param>
    /// <param name="backward">The reverse direction's weights, as <paramref name="forward"/>.</param>
    /// <param name="h0">[2, B, H] initial hidden states (forward, reverse) or null for zeros.</param>
    /// <param name="c0">[2, B, H] initial cell states or null for zeros.</param>
    /// <returns>Output [B, T, 2H] (forward | reverse, zero past each row's end) and the final states [2, B, H], rows in
    /// the caller's order.</returns>
    public static SequenceGemmResult RunBidirectional(Tensor input, long[] lengths, IReadOnlyList<Tensor> forward,
        IReadOnlyList<Tensor> backward, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lengths);
        CheckLengths(input, lengths);
        long batch = input.shape[0], steps = input.shape[1], features = input.shape[2];
        using var scope = torch.NewDisposeScope();
        var layout = SequenceGemmLayout.FromLengths(lengths);
        Device device = input.device;
        Tensor packed = input.reshape(batch * steps, features).index_select(0, torch.tensor(layout.PackIndex(steps), device: device));
        Tensor sort = torch.tensor(layout.SortedRows, device: device);
        SequenceGemmResult result = RunBidirectionalPacked(packed, layout, forward, backward, h0?.index_select(1, sort),
            c0?.index_select(1, sort));
        Tensor unsort = torch.tensor(layout.UnsortIndex(), device: device);
        long width = result.Output.shape[1];
        Tensor output = torch.cat([result.Output, torch.zeros(1, width, dtype: input.dtype, device: device)], 0)
            .index_select(0, torch.tensor(layout.UnpackIndex(steps), device: device))
            .view(batch, steps, width);
        return new SequenceGemmResult(output.MoveToOuterDisposeScope(),
            result.Hidden.index_select(1, unsort).MoveToOuterDisposeScope(),
            result.Cell!.index_select(1, unsort).MoveToOuterDisposeScope());
    }

    /// <summary>Runs both directions of one bidirectional LSTM layer over packed data in one step loop: the reverse
    /// direction reads each row reversed within its length (<see cref="SequenceGemmLayout.ReversedPositions"/>) and runs
    /// forward in time, so both directions have the same active rows at every step.</summary>
    /// <param name="packed">[N, F] time-major packed data in <paramref name="layout"/>.</param>
    /// <param name="layout">Batch sizes per step.</param>
    /// <param name="forward">The forward direction's W_ih [4H, F], W_hh [4H, H] and, optionally, b_ih, b_hh [4H].</param>
    /// <param name="backward">The reverse direction's weights, as <paramref name="forward"/>.</param>
    /// <param name="h0">[2, B, H] in sorted order (forward, reverse), or null for zeros.</param>
    /// <param name="c0">[2, B, H] in sorted order, or null for zeros.</param>
    /// <returns>Output [N, 2H] packed (forward | reverse) and the final states [2, B, H] in sorted order.</returns>
    public static SequenceGemmResult RunBidirectionalPacked(Tensor packed, SequenceGemmLayout layout, IReadOnlyList<Tensor> forward,
        IReadOnlyList<Tensor> backward, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        long hidden = forward[1].shape[1], features = packed.shape[1], batch = layout.Batch;
        foreach (IReadOnlyList<Tensor> w in new[] { forward, backward })
        {
            if (w.Count is not (2 or 4))
            {
                throw new ArgumentException($"Expected W_ih, W_hh and optionally b_ih, b_hh; got {w.Count} tensors.", nameof(forward));
            }

            Check(w[0], [4 * hidden, features], "weightIh");
            Check(w[1], [4 * hidden, hidden], "weightHh");
            Check(w.Count > 2 ? w[2] : null, [4 * hidden], "biasIh");
            Check(w.Count > 2 ? w[3] : null, [4 * hidden], "biasHh");
        }

        if (forward.Count != backward.Count)
        {
            throw new ArgumentException("Both directions must have biases or neither.", nameof(backward));
        }

        Check(packed, [layout.Total, features], nameof(packed));
        Check(h0, [2, batch, hidden], nameof(h0));
        Check(c0, [2, batch, hidden], nameof(c0));
        bool record = torch.is_grad_enabled() && forward.Concat(backward).Append(packed).Append(h0).Append(c0)
            .Any(t => t is not null && t.requires_grad);
        Device device = packed.device;
        long[] reversed = layout.ReversedPositions();
        Tensor x = torch.stack([packed, SequenceGemmGatherFunction.Gather(packed, reversed, reversed, 0)]);
        Tensor? Bias(IReadOnlyList<Tensor> w) => w.Count > 2 ? w[2] + w[3] : null;
        Tensor both = SequenceGemmBiLstmFunction.apply(x, forward[0], forward[1], backward[0], backward[1], Bias(forward)!,
            Bias(backward)!, h0!, c0!, layout, record, record && packed.requires_grad)[0];
        // One gather over the rows of H of the result (direction d, packed row p, y or c: row (d·N + p)·2 + k) forms the
        // output, forward | reverse at each forward-packed row, and the final states; both recurrences run forward in
        // time, so each row's final state is at its last step in either reading order. One consumer of the result
        // instead of three keeps autograd from zero-filling and adding three [2, N, 2H] gradients.
        long total = layout.Total;
        long[] final = layout.FinalStateIndex(reverse: false);
        var rows = new long[2 * total + 4 * batch];
        for (long p = 0; p < total; p++)
        {
            rows[2 * p] = 2 * p;
            rows[2 * p + 1] = 2 * (total + reversed[p]);
        }

        for (long k = 0; k < 2; k++)
        {
            for (long d = 0; d < 2; d++)
            {
                for (long r = 0; r < batch; r++)
                {
                    rows[2 * total + (k * 2 + d) * batch + r] = 2 * (d * total + final[r]) + k;
                }
            }
        }

        Tensor[] parts = SequenceGemmGatherFunction.GatherRows(both.view(4 * total, hidden), rows).split([2 * total, 4 * batch]);
        Tensor[] states = parts[1].view(2, 2, batch, hidden).unbind(0);
        return new SequenceGemmResult(parts[0].view(total, 2 * hidden), states[0], states[1]);
    }

    private static void CheckLengths(Tensor input, long[] lengths)
    {
        if (input.dim() != 3)
        {
            throw new ArgumentException($"Input must be [B, T, F]; got shape [{string.Join(", ", input.shape)}].", nameof(input));
        }

        long batch = input.shape[0], steps = input.shape[1];
        if (lengths.Length != batch)
        {
            throw new ArgumentException($"Expected {batch} lengths (one per row), got {lengths.Length}.", nameof(lengths));
        }

        for (int r = 0; r < lengths.Length; r++)
        {
            if (lengths[r] < 1 || lengths[r] > steps)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[r], $"Length of row {r} must be in [1, {steps}].");
            }
        }
    }

    private static void Check(Tensor? tensor, long[] shape, string name)
    {
        if (tensor is not null && !tensor.shape.SequenceEqual(shape))
        {
            throw new ArgumentException(
                $"{name} must have shape [{string.Join(", ", shape)}]; got [{string.Join(", ", tensor.shape)}].", name);
        }
    }
}
