using System.Diagnostics;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// Base of the stacked, optionally bidirectional recurrent layers over batch-first sequences (<see cref="Lstm"/>,
/// <see cref="Gru"/>, <see cref="ElmanRnn"/>): validation, parameters, initialisation, the flat weight list, variable
/// lengths, and the choice between the fused kernel and per-step cells. Subclasses supply only the recurrence.
/// </summary>
/// <remarks>
/// <para><b>Parameters</b> of layer k (suffix <c>_reverse</c> for the backward direction), G gate blocks of H rows:
/// <c>weight_ih_l{k}</c> [G·H, in_k] (in_0 = F, in_k = D·H above), <c>weight_hh_l{k}</c> [G·H, H], and with biases
/// <c>bias_ih_l{k}</c> [G·H], <c>bias_hh_l{k}</c> [G·H]. They are registered layer by layer, forward direction
/// first, in that order, which is also the fused kernel's flat order; names and shapes are PyTorch's, so a state
/// dictionary loads into <c>torch.nn.LSTM</c>/<c>GRU</c>/<c>RNN</c> unchanged. With
/// <see cref="RecurrentLayerOptions.LearnedInitialState"/> they are followed by <c>initial_hidden</c> [L·D, H] and,
/// for the LSTM, <c>initial_cell</c> [L·D, H].</para>
/// <para><b>Flat weights</b> are collected at construction and again after a device move, dtype change or load
/// (<see cref="Module.OnParametersReplaced"/>), never per forward pass (STYLE M2).</para>
/// <para><b>Final states</b> are [L·D, B, H], layer-major, forward before backward. The forward direction's entry
/// is the state after each row's last valid step; the backward direction's is the state after reading the row from
/// its true last step back to step 0.</para>
/// <para><b>Warnings</b>: a setting that has no effect (dropout or residuals with one layer, a merge mode on a
/// unidirectional layer, …) is listed in <see cref="Warnings"/> and written to
/// <see cref="Trace.TraceWarning(string)"/> when the layer is built.</para>
/// </remarks>
public abstract class RecurrentBase : Module
{
    private readonly RecurrentLayerOptions _options;
    private readonly List<ModuleParameter> _weights = new();
    private readonly ModuleParameter? _initialHidden;
    private readonly ModuleParameter? _initialCell;
    private readonly RandomGenerator? _generator;
    private Tensor[] _flatWeights;

    /// <summary>Validates the options, registers and initialises the parameters, and builds the flat weight list.</summary>
    /// <param name="options">Settings; copied, so later changes do not affect the layer.</param>
    /// <param name="mode">The recurrence (it fixes the gate count G: 4 LSTM, 3 GRU, 1 Elman).</param>
    /// <param name="generator">Source of initial values and dropout masks, kept by reference (it must outlive the
    /// layer); null uses libtorch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see
    /// <see cref="RecurrentLayerOptions.Validate"/>).</exception>
    protected RecurrentBase(RecurrentLayerOptions options, RecurrentMode mode, RandomGenerator? generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        Mode = mode;
        GateCount = CellMath.GateCount(mode);
        _generator = generator;
        Warnings = _options.NoEffectWarnings(mode);
        foreach (string warning in Warnings)
        {
            Trace.TraceWarning($"{GetType().Name}: {warning}");
        }

        int hidden = HiddenSize;
        using (TensorScope.Begin())
        {
            for (int layer = 0; layer < LayerCount; layer++)
            {
                long inputs = layer == 0 ? InputSize : (long)DirectionCount * hidden;
                for (int direction = 0; direction < DirectionCount; direction++)
                {
                    string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : string.Empty)}";
                    RecurrentInitialization scheme = _options.Initialization;
                    Add("weight_ih" + suffix, RecurrentInitializer.InputWeight(scheme, GateCount, hidden, inputs, generator));
                    Add("weight_hh" + suffix, RecurrentInitializer.RecurrentWeight(scheme, GateCount, hidden, generator));
                    if (_options.HasBiases)
                    {
                        Add("bias_ih" + suffix, RecurrentInitializer.Bias(scheme, mode, hidden, true, _options.ForgetBias, generator));
                        Add("bias_hh" + suffix, RecurrentInitializer.Bias(scheme, mode, hidden, false, _options.ForgetBias, generator));
                    }
                }
            }

            if (_options.LearnedInitialState)
            {
                _initialHidden = RegisterParameter("initial_hidden", Tensor.Zeros([StateCount, hidden]));
                _initialCell = mode == RecurrentMode.Lstm ? RegisterParameter("initial_cell", Tensor.Zeros([StateCount, hidden])) : null;
            }
        }

        _flatWeights = BuildFlatWeights();
    }

    /// <summary>The recurrence the layer computes.</summary>
    public RecurrentMode Mode { get; }

    /// <summary>Number of gate blocks G in each weight matrix: 4 (LSTM), 3 (GRU), 1 (Elman).</summary>
    public int GateCount { get; }

    /// <summary>Width of each input step (F).</summary>
    public int InputSize => _options.InputSize;

    /// <summary>Width of the hidden state (H) of each direction.</summary>
    public int HiddenSize => _options.HiddenSize;

    /// <summary>Number of stacked layers (L).</summary>
    public int LayerCount => _options.LayerCount;

    /// <summary>Whether a backward direction runs too.</summary>
    public bool IsBidirectional => _options.Bidirectional;

    /// <summary>Number of directions (D): 2 when bidirectional, else 1.</summary>
    public int DirectionCount => IsBidirectional ? 2 : 1;

    /// <summary>Width of each step of <see cref="RecurrentOutput.Output"/>: D·H with
    /// <see cref="BidirectionalMerge.Concat"/>, H otherwise.</summary>
    public int OutputSize => IsBidirectional && _options.Merge == BidirectionalMerge.Concat ? 2 * HiddenSize : HiddenSize;

    /// <summary>A copy of the settings the layer was built with.</summary>
    public RecurrentLayerOptions Options => _options.Clone();

    /// <summary>Settings that have no effect on this layer, one sentence each (also written to
    /// <see cref="Trace.TraceWarning(string)"/> at construction). Empty when every setting matters.</summary>
    public IReadOnlyList<string> Warnings { get; }

    private int StateCount => LayerCount * DirectionCount;

    /// <summary>Runs the layer over a batch of sequences.</summary>
    /// <param name="input">[B, T, F] batch-first, in the parameters' dtype and on their device.</param>
    /// <param name="lengths">int64 (or int32) [B] valid steps per row, each in [1, T], in any order, on any device;
    /// null when every row runs all T steps. Default: null.</param>
    /// <param name="initialHidden">h0 [L·D, B, H] (for example an encoder's final state), or null for the learned
    /// initial state or zeros. Default: null.</param>
    /// <param name="initialCell">LSTM c0 [L·D, B, H]; give it exactly when <paramref name="initialHidden"/> is given,
    /// and only to an LSTM. Default: null.</param>
    /// <returns>Outputs and final states, rows in the caller's order (see <see cref="RecurrentOutput"/>).</returns>
    /// <exception cref="ArgumentException">A shape, dtype or device does not match, only one half of an LSTM state is
    /// given, or a length is outside [1, T] (the message names the row).</exception>
    /// <exception cref="NotSupportedException"><see cref="RecurrentKernel.Fused"/> was asked for and the fused kernel
    /// cannot run this input (the message says why).</exception>
    public RecurrentOutput Forward(Tensor input, Tensor? lengths = null, Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        long batch = input.Size(0), steps = input.Size(1);
        long[]? rowLengths = lengths is null ? null : SequenceLengths.Read(lengths, batch, steps);
        CheckState(initialHidden, initialCell, batch, input);
        using var scope = TensorScope.Begin();
        (Tensor? h0, Tensor? c0) = InitialState(initialHidden, initialCell, batch);
        long used = rowLengths is { Length: > 0 } ? rowLengths.Max() : steps;
        Tensor x = used < steps ? input.Narrow(1, 0, used) : input;
        var info = new SequenceLengths(rowLengths, batch, used, input.Device);
        var runner = new RecurrentRunner(Mode, LayerCount, DirectionCount, HiddenSize, _flatWeights, _options.Dropout,
            _options.Residual, IsTraining, _generator, _options.Backend);
        (Tensor output, Tensor hidden, Tensor? cell) =
            _options.Kernel == RecurrentKernel.PerStep ? runner.ByDirection(x, info, h0, c0, perStep: true)
            : info.IsFull ? runner.Fused(x, null, h0, c0)
            : _options.VariableLengths == VariableLengthStrategy.Masked ? runner.ByDirection(x, info, h0, c0, perStep: false)
            : Packed(runner, x, info, h0, c0);
        if (used < steps)
        {
            output = Tensor.Cat([output, Tensor.Zeros([batch, steps - used, output.Size(2)], output.DType, output.Device)], 1);
        }

        output = Merge(output);
        return new RecurrentOutput(scope.MoveToOuter(output), scope.MoveToOuter(hidden), cell is null ? null : scope.MoveToOuter(cell));
    }

    /// <summary>Runs the layer over a <see cref="SequenceBatch"/> (its values and lengths).</summary>
    /// <param name="batch">Padded values [B, T, F] and lengths.</param>
    /// <param name="initialHidden">h0 [L·D, B, H] or null. Default: null.</param>
    /// <param name="initialCell">LSTM c0 [L·D, B, H] or null. Default: null.</param>
    /// <returns>Outputs and final states, rows in the batch's order.</returns>
    public RecurrentOutput Forward(SequenceBatch batch, Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Forward(batch.Values, batch.Lengths, initialHidden, initialCell);
    }

    /// <summary>Rebuilds the flat weight list after the parameter tensors were replaced.</summary>
    protected override void OnParametersReplaced() => _flatWeights = BuildFlatWeights();

    private static (Tensor Output, Tensor Hidden, Tensor? Cell) Packed(RecurrentRunner runner, Tensor x, SequenceLengths info,
        Tensor? h0, Tensor? c0)
    {
        // OrderByDescending is a stable sort: rows of equal length keep their relative order.
        long[] order = Enumerable.Range(0, info.Values.Length).OrderByDescending(row => info.Values[row]).Select(row => (long)row).ToArray();
        bool sorted = order.Select((row, position) => row == position).All(same => same);
        if (!sorted)
        {
            Tensor index = Tensor.From(order, x.Device);
            x = x.IndexSelect(0, index);
            h0 = h0?.IndexSelect(1, index);
            c0 = c0?.IndexSelect(1, index);
        }

        PackedSequenceData packed = RecurrentKernels.PackPadded(x, Tensor.From(order.Select(row => info.Values[row]).ToArray()));
        (Tensor data, Tensor hidden, Tensor? cell) = runner.Fused(packed.Data, packed.BatchSizes, h0, c0);
        Tensor output = RecurrentKernels.PadPacked(data, packed.BatchSizes, batchFirst: true, totalLength: info.Steps).Padded;
        if (!sorted)
        {
            var inverse = new long[order.Length];
            for (int position = 0; position < order.Length; position++)
            {
                inverse[order[position]] = position;
            }

            Tensor index = Tensor.From(inverse, x.Device);
            output = output.IndexSelect(0, index);
            hidden = hidden.IndexSelect(1, index);
            cell = cell?.IndexSelect(1, index);
        }

        return (output, hidden, cell);
    }

    private Tensor Merge(Tensor output)
    {
        if (!IsBidirectional || _options.Merge == BidirectionalMerge.Concat)
        {
            return output;
        }

        Tensor sum = output.Narrow(2, 0, HiddenSize) + output.Narrow(2, HiddenSize, HiddenSize);
        return _options.Merge == BidirectionalMerge.Average ? sum * 0.5 : sum;
    }

    private (Tensor? Hidden, Tensor? Cell) InitialState(Tensor? initialHidden, Tensor? initialCell, long batch)
    {
        if (initialHidden is not null || _initialHidden is null)
        {
            return (initialHidden, initialCell);
        }

        Tensor Expand(ModuleParameter p) => p.Value.Unsqueeze(1).Expand(StateCount, batch, HiddenSize).Contiguous();
        return (Expand(_initialHidden), _initialCell is null ? null : Expand(_initialCell));
    }

    private void CheckInput(Tensor input)
    {
        if (input.Rank != 3 || input.Size(2) != InputSize)
        {
            throw new ArgumentException(
                $"{GetType().Name} expects input [batch, time, {InputSize}], got [{string.Join(", ", input.Shape)}].", nameof(input));
        }

        if (_options.Kernel == RecurrentKernel.Fused && input.DType is not (DType.Float32 or DType.Float64))
        {
            throw new NotSupportedException(
                $"The fused {Mode} kernel runs only on float32 or float64 input; got {input.DType}.");
        }

        Tensor weight = _flatWeights[0];
        if (input.DType != weight.DType || input.Device != weight.Device)
        {
            throw new ArgumentException(
                $"input is {input.DType} on {input.Device}; the layer's parameters are {weight.DType} on {weight.Device}.", nameof(input));
        }
    }

    private void CheckState(Tensor? initialHidden, Tensor? initialCell, long batch, Tensor input)
    {
        if (Mode != RecurrentMode.Lstm && initialCell is not null)
        {
            throw new ArgumentException($"A {Mode} layer has no cell state; pass initialCell only to an LSTM.", nameof(initialCell));
        }

        if (Mode == RecurrentMode.Lstm && (initialHidden is null) != (initialCell is null))
        {
            throw new ArgumentException("An LSTM initial state needs both initialHidden and initialCell, or neither.",
                initialHidden is null ? nameof(initialHidden) : nameof(initialCell));
        }

        long[] expected = [StateCount, batch, HiddenSize];
        foreach ((Tensor? state, string name) in new[] { (initialHidden, nameof(initialHidden)), (initialCell, nameof(initialCell)) })
        {
            if (state is not null && (!state.Shape.SequenceEqual(expected) || state.DType != input.DType || state.Device != input.Device))
            {
                throw new ArgumentException(
                    $"{name} must be [{string.Join(", ", expected)}] (layers·directions, batch, hidden) {input.DType} on {input.Device}; " +
                    $"got [{string.Join(", ", state.Shape)}] {state.DType} on {state.Device}.", name);
            }
        }
    }

    private void Add(string name, Tensor initial) => _weights.Add(RegisterParameter(name, initial));

    private Tensor[] BuildFlatWeights() => _weights.Select(p => p.Value).ToArray();
}
