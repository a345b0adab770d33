using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// The execution paths of the built-in layers over their flat weight list: the fused kernel on padded or packed data
/// (all layers in one call, or one call per layer when residuals or training-time dropout sit between layers), and
/// the direction-by-direction paths (masked fused, per-step) over a padded batch. Lives for one forward call.
/// </summary>
internal sealed class RecurrentRunner(RecurrentMode mode, int layers, int directions, int hidden, IReadOnlyList<Tensor> weights,
    double dropout, bool residual, bool training, RandomGenerator? generator, RecurrentBackend backend)
{
    private readonly int _perDirection = weights.Count / (layers * directions);

    private bool IsLstm => mode == RecurrentMode.Lstm;

    /// <summary>Fused kernel over padded [B, T, F] (<paramref name="batchSizes"/> null) or packed [Σ lengths, F] data.</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) Fused(Tensor input, Tensor? batchSizes, Tensor? h0, Tensor? c0)
    {
        bool byLayer = layers > 1 && (residual || (dropout > 0 && training));
        if (!byLayer)
        {
            RecurrentKernelOutput all = Kernel(input, weights, layers, directions == 2, batchSizes, h0, c0);
            return (all.Output, all.FinalHidden, all.FinalCell);
        }

        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        Tensor x = input;
        for (int layer = 0; layer < layers; layer++)
        {
            int first = layer * directions;
            RecurrentKernelOutput result = Kernel(x, Slice(first, directions), 1, directions == 2, batchSizes,
                h0?.Narrow(0, first, directions), c0?.Narrow(0, first, directions));
            hiddens.Add(result.FinalHidden);
            if (result.FinalCell is not null)
            {
                cells.Add(result.FinalCell);
            }

            x = BetweenLayers(layer, x, result.Output);
        }

        return (x, Tensor.Cat(hiddens), IsLstm ? Tensor.Cat(cells) : null);
    }

    /// <summary>Each layer and direction separately over padded [B, T, F]: the backward direction reads each row
    /// reversed within its length. Per step (<paramref name="perStep"/>) or with the fused kernel plus masking.</summary>
    public (Tensor Output, Tensor Hidden, Tensor? Cell) ByDirection(Tensor input, SequenceLengths lengths, Tensor? h0,
        Tensor? c0, bool perStep)
    {
        var hiddens = new List<Tensor>();
        var cells = new List<Tensor>();
        Tensor x = input;
        for (int layer = 0; layer < layers; layer++)
        {
            var outputs = new Tensor[directions];
            for (int direction = 0; direction < directions; direction++)
            {
                int index = layer * directions + direction;
                Tensor? h = h0?.Narrow(0, index, 1), c = c0?.Narrow(0, index, 1);
                Tensor ordered = direction == 1 ? lengths.Reverse(x) : x;
                (Tensor y, Tensor hN, Tensor? cN) = perStep
                    ? PerStep(ordered, Slice(index, 1), h, c, lengths)
                    : MaskedFused(ordered, Slice(index, 1), h, c, lengths);
                outputs[direction] = direction == 1 ? lengths.Reverse(y) : y;
                hiddens.Add(hN);
                if (cN is not null)
                {
                    cells.Add(cN);
                }
            }

            x = BetweenLayers(layer, x, directions == 2 ? Tensor.Cat(outputs, 2) : outputs[0]);
        }

        return (x, Tensor.Cat(hiddens), IsLstm ? Tensor.Cat(cells) : null);
    }

    private (Tensor Output, Tensor Hidden, Tensor? Cell) PerStep(Tensor x, IReadOnlyList<Tensor> w, Tensor? h0, Tensor? c0,
        SequenceLengths lengths)
    {
        Tensor zeros = Tensor.Zeros([x.Size(0), hidden], x.DType, x.Device);
        Tensor[] initial = IsLstm ? [h0?.Squeeze(0) ?? zeros, c0?.Squeeze(0) ?? zeros] : [h0?.Squeeze(0) ?? zeros];
        (Tensor output, IReadOnlyList<Tensor> final) = StepRunner.Run(new FlatWeightCell(mode, w, hidden), x, lengths, initial);
        return (output, final[0].Unsqueeze(0), IsLstm ? final[1].Unsqueeze(0) : null);
    }

    private (Tensor Output, Tensor Hidden, Tensor? Cell) MaskedFused(Tensor x, IReadOnlyList<Tensor> w, Tensor? h0, Tensor? c0,
        SequenceLengths lengths)
    {
        RecurrentKernelOutput result = Kernel(x, w, 1, false, null, h0, c0);
        if (lengths.IsFull)
        {
            return (result.Output, result.FinalHidden, result.FinalCell);
        }

        Tensor hN = lengths.Last(result.Output).Unsqueeze(0);
        Tensor? cN = IsLstm ? CellAtRowEnds(x, result.Output, w, h0, c0, lengths) : null;
        return (lengths.ZeroPadding(result.Output), hN, cN);
    }

    /// <summary>The LSTM cell state after each row's last step, [1, B, H], which the kernel does not return for a
    /// padded run: the gates of every step follow from the inputs and the kernel's hidden states (h_(t−1)), then
    /// c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t is scanned element-wise, rows frozen past their end.</summary>
    private Tensor CellAtRowEnds(Tensor x, Tensor outputs, IReadOnlyList<Tensor> w, Tensor? h0, Tensor? c0, SequenceLengths lengths)
    {
        long batch = x.Size(0), steps = x.Size(1);
        Tensor first = h0?.Squeeze(0).Unsqueeze(1) ?? Tensor.Zeros([batch, 1, hidden], x.DType, x.Device);
        Tensor previous = steps > 1 ? Tensor.Cat([first, outputs.Narrow(1, 0, steps - 1)], 1) : first;
        Tensor gates = NeuralOps.Linear(x, w[0], w.Count > 2 ? w[2] : null) + NeuralOps.Linear(previous, w[1], w.Count > 2 ? w[3] : null);
        Tensor input = gates.Narrow(2, 0, hidden).Sigmoid() * gates.Narrow(2, 2 * hidden, hidden).Tanh();
        Tensor forget = gates.Narrow(2, hidden, hidden).Sigmoid();
        Tensor c = c0?.Squeeze(0) ?? Tensor.Zeros([batch, hidden], x.DType, x.Device);
        for (long t = 0; t < steps; t++)
        {
            Tensor next = forget.Select(1, t) * c + input.Select(1, t);
            c = t < lengths.MinLength ? next : Tensor.Where(lengths.StepMask(t), next, c);
        }

        return c.Unsqueeze(0);
    }

    private Tensor BetweenLayers(int layer, Tensor layerInput, Tensor layerOutput)
    {
        Tensor y = residual && layer > 0 ? layerOutput + layerInput : layerOutput;
        return layer < layers - 1 && dropout > 0 && training ? NeuralOps.Dropout(y, dropout, training: true, generator) : y;
    }

    private IReadOnlyList<Tensor> Slice(int firstDirection, int count) =>
        weights.Skip(firstDirection * _perDirection).Take(count * _perDirection).ToArray();

    private RecurrentKernelOutput Kernel(Tensor input, IReadOnlyList<Tensor> w, int layerCount, bool bidirectional,
        Tensor? batchSizes, Tensor? h0, Tensor? c0) =>
        RecurrentKernels.Run(mode, input, w, layerCount, bidirectional, batchFirst: true, hasBiases: _perDirection == 4,
            batchSizes: batchSizes, initialHidden: h0, initialCell: c0, dropout: 0, training: training, backend: backend);
}
