using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Stacked, optionally bidirectional RNN/LSTM/GRU over padded batch-first sequences with true lengths, until
/// the recurrent family (<c>Modules.Recurrent</c>) is on main; only <see cref="TextClassifierNetwork.CreateEncoder"/>
/// creates it. Parameters carry PyTorch's names (<c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>, …) and initialisation
/// (U(−1/√H, 1/√H)), so the recurrent family's layers load the same state dictionary.</summary>
/// <remarks>The rows are sorted by length and packed once; each layer is one fused kernel call on the packed data, with
/// dropout between layers drawn from the model's own generator (libtorch's in-kernel dropout would use the global one).</remarks>
internal sealed class StopGapRecurrentEncoder : Module
{
    private readonly RecurrentMode _mode;
    private readonly Dropout _dropout;
    private readonly List<List<ModuleParameter>> _layers = new();

    public StopGapRecurrentEncoder(TextEncoderCell cell, int inputSize, int hiddenSize, int layers, bool bidirectional, double dropout,
        RandomGenerator? generator)
    {
        _mode = cell switch
        {
            TextEncoderCell.Lstm => RecurrentMode.Lstm,
            TextEncoderCell.Gru => RecurrentMode.Gru,
            TextEncoderCell.Rnn => RecurrentMode.RnnTanh,
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell."),
        };
        HiddenSize = hiddenSize;
        Bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        long gates = hiddenSize * (cell switch { TextEncoderCell.Lstm => 4L, TextEncoderCell.Gru => 3L, _ => 1L });
        double bound = 1 / Math.Sqrt(hiddenSize);
        using (TensorScope.Begin())
        {
            for (int layer = 0; layer < layers; layer++)
            {
                var weights = new List<ModuleParameter>();
                long layerInput = layer == 0 ? inputSize : (long)directions * hiddenSize;
                for (int direction = 0; direction < directions; direction++)
                {
                    string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : string.Empty)}";
                    weights.Add(RegisterParameter("weight_ih" + suffix, Initialization.Uniform([gates, layerInput], bound, generator)));
                    weights.Add(RegisterParameter("weight_hh" + suffix, Initialization.Uniform([gates, hiddenSize], bound, generator)));
                    weights.Add(RegisterParameter("bias_ih" + suffix, Initialization.Uniform([gates], bound, generator)));
                    weights.Add(RegisterParameter("bias_hh" + suffix, Initialization.Uniform([gates], bound, generator)));
                }

                _layers.Add(weights);
            }
        }

        _dropout = RegisterModule("dropout", new Dropout(layers > 1 ? dropout : 0, generator));
    }

    public int HiddenSize { get; }

    public bool Bidirectional { get; }

    public int OutputSize => (Bidirectional ? 2 : 1) * HiddenSize;

    /// <summary>Outputs [B, T, D·H], zero past each row's length, rows in the caller's order.</summary>
    /// <param name="input">[B, T, F].</param>
    /// <param name="lengths">Row lengths, each in [1, T].</param>
    public Tensor Forward(Tensor input, long[] lengths)
    {
        using var scope = TensorScope.Begin();
        long steps = input.Size(1);
        long[] order = Enumerable.Range(0, lengths.Length).Select(i => (long)i).OrderByDescending(i => lengths[i]).ToArray();
        bool sorted = order.Select((row, position) => row == position).All(same => same);
        if (!sorted)
        {
            input = input.IndexSelect(0, Tensor.From(order, input.Device));
        }

        Tensor sortedLengths = Tensor.From(order.Select(row => lengths[row]).ToArray());
        PackedSequenceData packed = RecurrentKernels.PackPadded(input, sortedLengths, batchFirst: true);
        Tensor data = packed.Data;
        for (int layer = 0; layer < _layers.Count; layer++)
        {
            if (layer > 0)
            {
                data = _dropout.Forward(data);
            }

            Tensor[] weights = _layers[layer].Select(p => p.Value).ToArray();
            data = RecurrentKernels.Run(_mode, data, weights, 1, Bidirectional, batchFirst: true, hasBiases: true,
                batchSizes: packed.BatchSizes, dropout: 0, training: IsTraining).Output;
        }

        Tensor output = RecurrentKernels.PadPacked(data, packed.BatchSizes, batchFirst: true, totalLength: steps).Padded;
        if (!sorted)
        {
            var inverse = new long[order.Length];
            for (int position = 0; position < order.Length; position++)
            {
                inverse[order[position]] = position;
            }

            output = output.IndexSelect(0, Tensor.From(inverse, input.Device));
        }

        return scope.MoveToOuter(output);
    }
}
