using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>A stacked, optionally bidirectional long short-term memory layer over batch-first sequences, run by
/// libtorch's fused whole-sequence kernel in one native call.</summary>
/// <remarks>
/// <para><b>Equations</b> for each step t of each layer and direction, with gates in the order i, f, g, o:</para>
/// <code>
/// i = σ(W_ii x_t + b_ii + W_hi h_(t−1) + b_hi)
/// f = σ(W_if x_t + b_if + W_hf h_(t−1) + b_hf)
/// g = tanh(W_ig x_t + b_ig + W_hg h_(t−1) + b_hg)
/// o = σ(W_io x_t + b_io + W_ho h_(t−1) + b_ho)
/// c_t = f ⊙ c_(t−1) + i ⊙ g
/// h_t = o ⊙ tanh(c_t)
/// </code>
/// <para><b>Parameters</b> for layer k (suffix <c>_reverse</c> for the backward direction), registered layer by layer,
/// forward direction first, in the order below, which is also the kernel's flat weight order:
/// <c>weight_ih_l{k}</c> [4H, in_k] (the rows are W_i, W_f, W_g, W_o stacked; in_0 is the input size and in_k = D·H
/// above), <c>weight_hh_l{k}</c> [4H, H], <c>bias_ih_l{k}</c> [4H], <c>bias_hh_l{k}</c> [4H]. The second bias is
/// redundant; PyTorch (and cuDNN) keep it, so the state dictionary loads in Python unchanged.</para>
/// <para><b>Initialisation</b> (PyTorch's default for <c>nn.LSTM</c>): every element from U(−1/√H, 1/√H).</para>
/// <para><b>Final states</b>: row b of <see cref="LstmOutput.FinalHidden"/> holds, for the forward direction, the state
/// after step length_b − 1, and for the backward direction the state after it has read back to step 0.</para>
/// <para>The flat weight list is built at construction and rebuilt after a device move or a load, never per forward
/// pass (STYLE M2).</para>
/// </remarks>
public sealed class Lstm : Module
{
    private readonly List<ModuleParameter> _ordered = new();
    private Tensor[] _flatWeights;

    /// <summary>Creates the layer with float32 parameters on the CPU.</summary>
    /// <param name="inputSize">Width of each input step (F), at least 1.</param>
    /// <param name="hiddenSize">Width of the hidden state (H), at least 1.</param>
    /// <param name="layers">Number of stacked layers (L), at least 1. Default: 1.</param>
    /// <param name="bidirectional">Add a backward direction (D = 2). Default: false.</param>
    /// <param name="generator">Source of the initial values; null uses libtorch's global generator. Default: null.</param>
    public Lstm(int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        LayerCount = layers;
        IsBidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        double bound = 1 / Math.Sqrt(hiddenSize);
        long gates = 4L * hiddenSize;
        using (TensorScope.Begin())
        {
            for (int layer = 0; layer < layers; layer++)
            {
                long layerInput = layer == 0 ? inputSize : (long)directions * hiddenSize;
                for (int direction = 0; direction < directions; direction++)
                {
                    string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : string.Empty)}";
                    Add("weight_ih" + suffix, Initialization.Uniform([gates, layerInput], bound, generator));
                    Add("weight_hh" + suffix, Initialization.Uniform([gates, hiddenSize], bound, generator));
                    Add("bias_ih" + suffix, Initialization.Uniform([gates], bound, generator));
                    Add("bias_hh" + suffix, Initialization.Uniform([gates], bound, generator));
                }
            }
        }

        _flatWeights = BuildFlatWeights();
    }

    /// <summary>Width of each input step (F).</summary>
    public int InputSize { get; }

    /// <summary>Width of the hidden state (H).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked layers (L).</summary>
    public int LayerCount { get; }

    /// <summary>Whether a backward direction runs too (D = 2).</summary>
    public bool IsBidirectional { get; }

    /// <summary>Width of each output step: D·H.</summary>
    public int OutputSize => (IsBidirectional ? 2 : 1) * HiddenSize;

    /// <summary>Runs the layer over a batch of sequences.</summary>
    /// <param name="input">[B, T, F] float32, batch-first.</param>
    /// <param name="lengths">int64 [B] valid steps per row, each in [1, T], on any device; null when every row runs all
    /// T steps. Rows need not be sorted: the layer sorts, packs, and restores the caller's order. Default: null.</param>
    /// <param name="initialHidden">h0 [L·D, B, H], or null for zeros. Default: null.</param>
    /// <param name="initialCell">c0 [L·D, B, H]; give it exactly when <paramref name="initialHidden"/> is given.
    /// Default: null.</param>
    /// <returns>Outputs [B, T, D·H] (zero past each length) and final states [L·D, B, H], rows in the caller's order.</returns>
    /// <exception cref="ArgumentException">A shape does not match, only one initial state is given, or a length is
    /// outside [1, T] (the message names the row).</exception>
    public LstmOutput Forward(Tensor input, Tensor? lengths = null, Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Size(2) != InputSize)
        {
            throw new ArgumentException(
                $"Lstm expects input [batch, time, {InputSize}], got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        long batch = input.Size(0), steps = input.Size(1);
        CheckState(initialHidden, initialCell, batch);
        using var scope = TensorScope.Begin();
        Tensor output, hidden, cell;
        if (lengths is null)
        {
            RecurrentKernelOutput result = RunKernel(input, null, initialHidden, initialCell);
            (output, hidden, cell) = (result.Output, result.FinalHidden, result.FinalCell!);
        }
        else
        {
            long[] rowLengths = ReadLengths(lengths, batch, steps);
            long[] order = Enumerable.Range(0, (int)batch).Select(i => (long)i).OrderByDescending(i => rowLengths[i]).ToArray();
            bool alreadySorted = order.Select((row, position) => row == position).All(same => same);
            Tensor? orderIndex = null;
            if (!alreadySorted)
            {
                orderIndex = Tensor.From(order, input.Device);
                input = input.IndexSelect(0, orderIndex);
                initialHidden = initialHidden?.IndexSelect(1, orderIndex);
                initialCell = initialCell?.IndexSelect(1, orderIndex);
            }

            Tensor sortedLengths = Tensor.From(order.Select(row => rowLengths[row]).ToArray());
            PackedSequenceData packed = RecurrentKernels.PackPadded(input, sortedLengths, batchFirst: true);
            RecurrentKernelOutput result = RunKernel(packed.Data, packed.BatchSizes, initialHidden, initialCell);
            output = RecurrentKernels.PadPacked(result.Output, packed.BatchSizes, batchFirst: true, totalLength: steps).Padded;
            (hidden, cell) = (result.FinalHidden, result.FinalCell!);
            if (!alreadySorted)
            {
                var inverse = new long[order.Length];
                for (int position = 0; position < order.Length; position++)
                {
                    inverse[order[position]] = position;
                }

                Tensor inverseIndex = Tensor.From(inverse, input.Device);
                output = output.IndexSelect(0, inverseIndex);
                hidden = hidden.IndexSelect(1, inverseIndex);
                cell = cell.IndexSelect(1, inverseIndex);
            }
        }

        return new LstmOutput(scope.MoveToOuter(output), scope.MoveToOuter(hidden), scope.MoveToOuter(cell));
    }

    /// <summary>Rebuilds the flat weight list after the parameter tensors were replaced.</summary>
    protected override void OnParametersReplaced() => _flatWeights = BuildFlatWeights();

    private void Add(string name, Tensor initial) => _ordered.Add(RegisterParameter(name, initial));

    private Tensor[] BuildFlatWeights() => _ordered.Select(p => p.Value).ToArray();

    private RecurrentKernelOutput RunKernel(Tensor input, Tensor? batchSizes, Tensor? initialHidden, Tensor? initialCell) =>
        RecurrentKernels.Run(RecurrentMode.Lstm, input, _flatWeights, LayerCount, IsBidirectional, batchFirst: true,
            hasBiases: true, batchSizes: batchSizes, initialHidden: initialHidden, initialCell: initialCell, dropout: 0,
            training: IsTraining);

    private void CheckState(Tensor? initialHidden, Tensor? initialCell, long batch)
    {
        if ((initialHidden is null) != (initialCell is null))
        {
            throw new ArgumentException("An LSTM initial state needs both initialHidden and initialCell, or neither.",
                initialHidden is null ? nameof(initialHidden) : nameof(initialCell));
        }

        long[] expected = [(long)LayerCount * (IsBidirectional ? 2 : 1), batch, HiddenSize];
        foreach ((Tensor? state, string name) in new[] { (initialHidden, nameof(initialHidden)), (initialCell, nameof(initialCell)) })
        {
            if (state is not null && !state.Shape.SequenceEqual(expected))
            {
                throw new ArgumentException(
                    $"{name} must be [{string.Join(", ", expected)}] (layers·directions, batch, hidden), got [{string.Join(", ", state.Shape)}].",
                    name);
            }
        }
    }

    private static long[] ReadLengths(Tensor lengths, long batch, long steps)
    {
        if (lengths.Rank != 1 || lengths.Size(0) != batch)
        {
            throw new ArgumentException(
                $"lengths must be [{batch}] (one per row), got [{string.Join(", ", lengths.Shape)}].", nameof(lengths));
        }

        if (lengths.DType is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException($"lengths must be int64 (or int32), got {lengths.DType}.", nameof(lengths));
        }

        long[] values;
        using (TensorScope.Begin())
        {
            values = lengths.To(Device.Cpu).To(DType.Int64).ToArray<long>();
        }

        for (int row = 0; row < values.Length; row++)
        {
            if (values[row] < 1 || values[row] > steps)
            {
                throw new ArgumentException(
                    $"lengths[{row}] = {values[row]} is outside [1, {steps}] (the input has {steps} steps).", nameof(lengths));
            }
        }

        return values;
    }
}
