using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;
using Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// The execution paths of the built-in layers, one native call per layer (so residual connections and dropout from
/// the layer's own generator sit between layers): padded (every row full length), packed, masked, and per step over
/// the same parameter tensors. Lives for one forward call. A further kernel is one more public method here, chosen
/// in <see cref="RecurrentBase.Forward(Tensor, Tensor?, Tensor?, Tensor?)"/>.
/// </summary>
internal sealed class RecurrentRunner(RecurrentMode mode, IReadOnlyList<NativeRecurrentLayer> layers, int directions, int hidden,
    double dropout, bool residual, bool training, Generator? generator)
{
    private delegate (Tensor Output, Tensor Hidden, Tensor? Cell) LayerRun(int layer, Tensor input, Tensor? h0, Tensor? c0);

    private bool IsLstm => mode == RecurrentMode.Lstm;

    /// <summary>Something is computed between layers (so a packed run must be padded after each layer).</summary>
    private bool HasBetweenLayerWork => layers.Count > 1 && (residual || (dropout > 0 && training));

    /// <summary>Fused kernel over padded [B, T, F] where every row runs all T steps.</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) Padded(Tensor input, Tensor? h0, Tensor? c0) =>
        Stack(input, h0, c0, (layer, x, h, c) => layers[layer].Run(x, h, c));

    /// <summary>Fused kernel over a packed batch (<c>pack_padded_sequence</c> with <c>enforce_sorted: false</c>): only
    /// Σ lengths row-steps are computed; outputs, padded again to <see cref="SequenceLengths.Steps"/>, and final states
    /// come back in the caller's row order.</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) Packed(Tensor input, SequenceLengths lengths, Tensor? h0, Tensor? c0)
    {
        // pack_padded_sequence wants the lengths as a CPU int64 tensor.
        Tensor cpuLengths = torch.tensor(lengths.Values);
        PackedSequence packed = pack_padded_sequence(input, cpuLengths, batch_first: true, enforce_sorted: false);
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        Tensor x = input;
        for (int layer = 0; layer < layers.Count; layer++)
        {
            int first = layer * directions;
            (PackedSequence output, Tensor hN, Tensor? cN) = layers[layer].Run(packed, h0?.narrow(0, first, directions),
                c0?.narrow(0, first, directions));
            hiddens.Add(hN);
            if (cN is not null)
            {
                cells.Add(cN);
            }

            bool last = layer == layers.Count - 1;
            if (!last && !HasBetweenLayerWork)
            {
                packed = output;
                continue;
            }

            (Tensor y, _) = pad_packed_sequence(output, batch_first: true, total_length: lengths.Steps);
            x = BetweenLayers(layer, x, y);
            if (!last)
            {
                packed = pack_padded_sequence(x, cpuLengths, batch_first: true, enforce_sorted: false);
            }
        }

        return (x, torch.cat(hiddens, 0), IsLstm ? torch.cat(cells, 0) : null);
    }

    /// <summary>The sequence-GEMM kernel (<see cref="SequenceGemmKernel"/>, <see cref="RecurrentBackend.SequenceGemm"/>)
    /// over the batch packed once: each layer and direction runs on the packed rows, which are padded again only where
    /// work sits between layers (as <see cref="Packed"/> does, so dropout draws the same masks). Outputs and final
    /// states come back in the caller's row order; full-length batches are the case "every row has length T".</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) SequenceGemm(Tensor input, SequenceLengths lengths, Tensor? h0, Tensor? c0)
    {
        long batch = input.shape[0], steps = input.shape[1];
        var layout = SequenceGemmLayout.FromLengths(lengths.Values);
        Device device = input.device;
        // Gathers whose gradient is the inverse gather (SequenceGemmGatherFunction): index_select's backward is slow on
        // the CPU for the non-contiguous gradients a loss usually sends back.
        long[] packIndex = layout.PackIndex(steps), unpackIndex = layout.UnpackIndex(steps);
        long[] sort = layout.SortedRows, unsort = layout.UnsortIndex();
        Tensor Pack(Tensor padded) => SequenceGemmGatherFunction.Gather(padded.reshape(batch * steps, padded.shape[2]), packIndex, unpackIndex, 0);
        Tensor Unpack(Tensor rows) => SequenceGemmGatherFunction.Gather(rows, unpackIndex, packIndex, 0).view(batch, steps, rows.shape[1]);
        Tensor? Sort(Tensor? state) => state is null ? null : SequenceGemmGatherFunction.Gather(state, sort, unsort, 1);
        Tensor? hSorted = Sort(h0), cSorted = Sort(c0);
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        Tensor x = input, packed = Pack(input);
        for (int layer = 0; layer < layers.Count; layer++)
        {
            Tensor y;
            if (IsLstm && directions == 2)
            {
                // Both directions in one step loop: half the per-step calls of two runs, and the mixed-length
                // benchmark's BiLSTM runs faster so (docs/recurrent-layers.md).
                SequenceGemmResult r = SequenceGemmKernel.RunBidirectionalPacked(packed, layout, layers[layer].Weights(0),
                    layers[layer].Weights(1), hSorted?.narrow(0, 2 * layer, 2), cSorted?.narrow(0, 2 * layer, 2));
                y = r.Output;
                hiddens.Add(r.Hidden);
                cells.Add(r.Cell!);
            }
            else
            {
                var outputs = new Tensor[directions];
                for (int direction = 0; direction < directions; direction++)
                {
                    int index = layer * directions + direction;
                    IReadOnlyList<Tensor> w = layers[layer].Weights(direction);
                    SequenceGemmResult r = SequenceGemmKernel.RunPacked(mode, packed, layout, w[0], w[1], w.Count > 2 ? w[2] : null,
                        w.Count > 2 ? w[3] : null, hSorted?[index], cSorted?[index], reverse: direction == 1);
                    outputs[direction] = r.Output;
                    hiddens.Add(r.Hidden.unsqueeze(0));
                    if (r.Cell is not null)
                    {
                        cells.Add(r.Cell.unsqueeze(0));
                    }
                }

                y = directions == 2 ? torch.cat(outputs, 1) : outputs[0];
            }

            bool last = layer == layers.Count - 1;
            if (!last && !HasBetweenLayerWork)
            {
                packed = y;
                continue;
            }

            x = BetweenLayers(layer, x, Unpack(y));
            if (!last)
            {
                packed = Pack(x);
            }
        }

        Tensor Unsort(List<Tensor> states) => SequenceGemmGatherFunction.Gather(torch.cat(states, 0), unsort, sort, 1);
        return (x, Unsort(hiddens), IsLstm ? Unsort(cells) : null);
    }

    /// <summary>Fused kernel over the padded batch with masking. Each layer runs once over 2B rows when bidirectional:
    /// the rows as given (read by the forward direction) and the rows reversed within their lengths and then flipped,
    /// i.e. right-aligned (read by the backward direction, which then starts at each row's true last step). Outputs
    /// past each row's end are zeroed and final states are read at each row's last valid step; the LSTM cell state
    /// there is recomputed (the kernel returns it only after the last padded step).</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) Masked(Tensor input, SequenceLengths lengths, Tensor? h0, Tensor? c0) =>
        Stack(input, h0, c0, (layer, x, h, c) => MaskedLayer(layers[layer], x, lengths, h, c));

    /// <summary>Per-step cells (<see cref="FlatWeightCell"/>) over the native modules' own parameter tensors; rows stop
    /// updating their state past their length.</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) PerStep(Tensor input, SequenceLengths lengths, Tensor? h0, Tensor? c0) =>
        Stack(input, h0, c0, (layer, x, h, c) => PerStepLayer(layers[layer], x, lengths, h, c));

    private (Tensor Output, Tensor Hidden, Tensor? Cell) Stack(Tensor input, Tensor? h0, Tensor? c0, LayerRun run)
    {
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        Tensor x = input;
        for (int layer = 0; layer < layers.Count; layer++)
        {
            int first = layer * directions;
            (Tensor y, Tensor hN, Tensor? cN) = run(layer, x, h0?.narrow(0, first, directions), c0?.narrow(0, first, directions));
            hiddens.Add(hN);
            if (cN is not null)
            {
                cells.Add(cN);
            }

            x = BetweenLayers(layer, x, y);
        }

        return (x, torch.cat(hiddens, 0), IsLstm ? torch.cat(cells, 0) : null);
    }

    private (Tensor Output, Tensor Hidden, Tensor? Cell) MaskedLayer(NativeRecurrentLayer native, Tensor x, SequenceLengths lengths,
        Tensor? h0, Tensor? c0)
    {
        long batch = x.shape[0];
        Tensor? reversed = directions == 2 ? lengths.Reverse(x) : null;
        Tensor both = reversed is null ? x : torch.cat(new[] { x, reversed.flip(1) }, 0);
        Tensor? Twice(Tensor? state) => state is null || reversed is null ? state : torch.cat(new[] { state, state }, 1);
        (Tensor y, _, _) = native.Run(both, Twice(h0), Twice(c0));
        var outputs = new Tensor[directions];
        var hiddens = new Tensor[directions];
        var cells = new Tensor[directions];
        for (int direction = 0; direction < directions; direction++)
        {
            // The direction's run in its own reading order: the forward half of the first B rows, or the backward half
            // of the last B rows flipped back (its run over the rows reversed within their lengths).
            Tensor ordered = direction == 0 ? x : reversed!;
            Tensor run = direction == 0
                ? y.narrow(0, 0, batch).narrow(2, 0, hidden)
                : y.narrow(0, batch, batch).narrow(2, hidden, hidden).flip(1);
            hiddens[direction] = lengths.Last(run).unsqueeze(0);
            if (IsLstm)
            {
                cells[direction] = CellAtRowEnds(ordered, run, native.Weights(direction), h0?.select(0, direction),
                    c0?.select(0, direction), lengths);
            }

            run = lengths.ZeroPadding(run);
            outputs[direction] = direction == 1 ? lengths.Reverse(run) : run;
        }

        return (directions == 2 ? torch.cat(outputs, 2) : outputs[0], torch.cat(hiddens, 0), IsLstm ? torch.cat(cells, 0) : null);
    }

    private (Tensor Output, Tensor Hidden, Tensor? Cell) PerStepLayer(NativeRecurrentLayer native, Tensor x, SequenceLengths lengths,
        Tensor? h0, Tensor? c0)
    {
        var outputs = new Tensor[directions];
        var hiddens = new Tensor[directions];
        var cells = new Tensor[directions];
        Tensor zeros = torch.zeros(x.shape[0], hidden, dtype: x.dtype, device: x.device);
        for (int direction = 0; direction < directions; direction++)
        {
            Tensor ordered = direction == 1 ? lengths.Reverse(x) : x;
            Tensor h = h0?.select(0, direction) ?? zeros;
            Tensor[] initial = IsLstm ? [h, c0?.select(0, direction) ?? zeros] : [h];
            var cell = new FlatWeightCell(mode, native.Weights(direction), hidden);
            (Tensor y, IReadOnlyList<Tensor> final) = StepRunner.Run(cell, ordered, lengths, initial);
            outputs[direction] = direction == 1 ? lengths.Reverse(y) : y;
            hiddens[direction] = final[0].unsqueeze(0);
            if (IsLstm)
            {
                cells[direction] = final[1].unsqueeze(0);
            }
        }

        return (directions == 2 ? torch.cat(outputs, 2) : outputs[0], torch.cat(hiddens, 0), IsLstm ? torch.cat(cells, 0) : null);
    }

    /// <summary>The LSTM cell state after each row's last step, [1, B, H], which the kernel does not return for a
    /// padded run: the gates of every step follow from the inputs and the kernel's hidden states (h_(t−1)), then
    /// c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t is scanned element-wise, rows frozen past their end.</summary>
    private Tensor CellAtRowEnds(Tensor x, Tensor outputs, IReadOnlyList<Tensor> w, Tensor? h0, Tensor? c0, SequenceLengths lengths)
    {
        long batch = x.shape[0], steps = x.shape[1];
        Tensor first = h0?.unsqueeze(1) ?? torch.zeros(batch, 1, hidden, dtype: x.dtype, device: x.device);
        Tensor previous = steps > 1 ? torch.cat(new[] { first, outputs.narrow(1, 0, steps - 1) }, 1) : first;
        Tensor gates = nn.functional.linear(x, w[0], w.Count > 2 ? w[2] : null)
            + nn.functional.linear(previous, w[1], w.Count > 2 ? w[3] : null);
        Tensor input = gates.narrow(2, 0, hidden).sigmoid() * gates.narrow(2, 2 * hidden, hidden).tanh();
        Tensor forget = gates.narrow(2, hidden, hidden).sigmoid();
        Tensor c = c0 ?? torch.zeros(batch, hidden, dtype: x.dtype, device: x.device);
        for (long t = 0; t < steps; t++)
        {
            Tensor next = forget.select(1, t) * c + input.select(1, t);
            c = t < lengths.MinLength ? next : torch.where(lengths.StepMask(t), next, c);
        }

        return c.unsqueeze(0);
    }

    private Tensor BetweenLayers(int layer, Tensor layerInput, Tensor layerOutput)
    {
        Tensor y = residual && layer > 0 ? layerOutput + layerInput : layerOutput;
        return layer < layers.Count - 1 ? SeededDropout.Apply(y, dropout, training, generator) : y;
    }
}
