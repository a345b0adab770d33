using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>
/// Base of the stacked, optionally bidirectional recurrent layers over batch-first sequences (<see cref="Lstm"/>,
/// <see cref="Gru"/>, <see cref="ElmanRnn"/>): validation, parameters, initialisation, stacking, variable lengths,
/// and the choice between the fused kernel (TorchSharp's native <c>nn.LSTM</c>/<c>nn.GRU</c>/<c>nn.RNN</c>) and
/// per-step cells. Subclasses supply only the recurrence.
/// </summary>
/// <remarks>
/// <para><b>Parameters</b> of layer k (suffix <c>_reverse</c> for the backward direction), G gate blocks of H rows:
/// <c>weight_ih_l{k}</c> [G·H, in_k] (in_0 = F, in_k = D·H above), <c>weight_hh_l{k}</c> [G·H, H], and with biases
/// <c>bias_ih_l{k}</c> [G·H], <c>bias_hh_l{k}</c> [G·H]. They are registered layer by layer, forward direction
/// first, in that order; names, shapes and order are PyTorch's, so <c>state_dict()</c> has exactly the keys of
/// <c>torch.nn.LSTM</c>/<c>GRU</c>/<c>RNN</c> and loads there unchanged. With
/// <see cref="RecurrentLayerOptions.LearnedInitialState"/> they are followed by <c>initial_hidden</c> [L·D, H] and,
/// for the LSTM, <c>initial_cell</c> [L·D, H].</para>
/// <para><b>Kernel.</b> Each layer k is one native TorchSharp module (one layer, batch-first, D directions), held
/// privately and not registered as a child: its parameter tensors are registered on this module under the names
/// above, so optimisers, <c>load_state_dict</c> (an in-place copy) and per-step cells all work on the very tensors
/// the native module computes with. <c>to(…)</c> converts or moves the native modules and registers their parameters
/// again. One call per layer lets residual connections and dropout between layers (masks from this layer's
/// generator) sit between the calls.</para>
/// <para><b>Final states</b> are [L·D, B, H], layer-major, forward before backward. The forward direction's entry
/// is the state after each row's last valid step; the backward direction's is the state after reading the row from
/// its true last step back to step 0.</para>
/// <para><b>Warnings</b>: a setting that has no effect (dropout or residuals with one layer, a merge mode on a
/// unidirectional layer, …) is listed in <see cref="Warnings"/> and written to
/// <see cref="Trace.TraceWarning(string)"/> when the layer is built.</para>
/// </remarks>
public abstract class RecurrentBase : nn.Module<Tensor, Tensor>
{
    private const string InitialHiddenName = "initial_hidden";
    private const string InitialCellName = "initial_cell";

    private readonly RecurrentLayerOptions _options;
    private readonly NativeRecurrentLayer[] _layers;
    private readonly Generator? _generator;
    private bool _disposed;

    /// <summary>Validates the options, builds one native module per layer, registers its parameters under PyTorch's
    /// names and initialises them.</summary>
    /// <param name="options">Settings; copied, so later changes do not affect the layer.</param>
    /// <param name="mode">The recurrence (it fixes the gate count G: 4 LSTM, 3 GRU, 1 Elman).</param>
    /// <param name="generator">Source of initial values and dropout masks, kept by reference (it must outlive the
    /// layer); null uses libtorch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see
    /// <see cref="RecurrentLayerOptions.Validate"/>).</exception>
    protected RecurrentBase(RecurrentLayerOptions options, RecurrentMode mode, Generator? generator)
        : base(ModuleName(options, mode))
    {
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
        _layers = new NativeRecurrentLayer[LayerCount];
        for (int layer = 0; layer < LayerCount; layer++)
        {
            long inputs = layer == 0 ? InputSize : (long)DirectionCount * hidden;
            _layers[layer] = new NativeRecurrentLayer(mode, layer, inputs, hidden, IsBidirectional, _options.HasBiases);
        }

        RegisterWeights();
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            RecurrentInitialization scheme = _options.Initialization;
            foreach ((string name, Parameter parameter) in _layers.SelectMany(l => l.NamedParameters()))
            {
                Tensor initial = name.StartsWith("weight_ih", StringComparison.Ordinal)
                    ? RecurrentInitializer.InputWeight(scheme, GateCount, hidden, parameter.shape[1], generator)
                    : name.StartsWith("weight_hh", StringComparison.Ordinal)
                        ? RecurrentInitializer.RecurrentWeight(scheme, GateCount, hidden, generator)
                        : RecurrentInitializer.Bias(scheme, mode, hidden, name.StartsWith("bias_ih", StringComparison.Ordinal),
                            _options.ForgetBias, generator);
                parameter.copy_(initial);
            }
        }

        if (_options.LearnedInitialState)
        {
            RegisterInitialState(InitialHiddenName);
            if (mode == RecurrentMode.Lstm)
            {
                RegisterInitialState(InitialCellName);
            }
        }
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

    /// <summary>TorchSharp's entry point: the outputs of <see cref="Forward(Tensor, Tensor?, Tensor?, Tensor?)"/> with
    /// every row running all T steps and a zero (or learned) initial state.</summary>
    /// <param name="input">[B, T, F] batch-first.</param>
    /// <returns><see cref="RecurrentOutput.Output"/>, [B, T, <see cref="OutputSize"/>].</returns>
    public override Tensor forward(Tensor input) => Forward(input).Output;

    /// <summary>Runs the layer over a batch of sequences.</summary>
    /// <param name="input">[B, T, F] batch-first, in the parameters' dtype and on their device.</param>
    /// <param name="lengths">int64 (or int32) [B] valid steps per row, each in [1, T], in any order, on any device;
    /// null when every row runs all T steps. Default: null.</param>
    /// <param name="initialHidden">h0 [L·D, B, H] (for example an encoder's final state), or null for the learned
    /// initial state or zeros. Default: null.</param>
    /// <param name="initialCell">LSTM c0 [L·D, B, H]; give it exactly when <paramref name="initialHidden"/> is given,
    /// and only to an LSTM. Default: null.</param>
    /// <returns>Outputs and final states, rows in the caller's order (see <see cref="RecurrentOutput"/>), created in
    /// the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">A shape, dtype or device does not match, only one half of an LSTM state is
    /// given, or a length is outside [1, T] (the message names the row).</exception>
    /// <exception cref="NotSupportedException"><see cref="RecurrentKernel.Fused"/> was asked for and the fused kernel
    /// cannot run this input (the message says why).</exception>
    public RecurrentOutput Forward(Tensor input, Tensor? lengths = null, Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        long batch = input.shape[0], steps = input.shape[1];
        long[]? rowLengths = lengths is null ? null : SequenceLengths.Read(lengths, batch, steps);
        CheckState(initialHidden, initialCell, batch, input);
        using var scope = torch.NewDisposeScope();
        (Tensor? h0, Tensor? c0) = InitialState(initialHidden, initialCell, batch);
        long used = rowLengths is { Length: > 0 } ? rowLengths.Max() : steps;
        Tensor x = used < steps ? input.narrow(1, 0, used) : input;
        var info = new SequenceLengths(rowLengths, batch, used, input.device);
        var runner = new RecurrentRunner(Mode, _layers, DirectionCount, HiddenSize, _options.Dropout, _options.Residual, training,
            _generator);
        (Tensor output, Tensor hidden, Tensor? cell) =
            _options.Kernel == RecurrentKernel.PerStep ? runner.PerStep(x, info, h0, c0)
            : UseSequenceGemm(x, info) ? runner.SequenceGemm(x, info, h0, c0)
            : info.IsFull ? runner.Padded(x, h0, c0)
            : _options.VariableLengths == VariableLengthStrategy.Masked ? runner.Masked(x, info, h0, c0)
            : runner.Packed(x, info, h0, c0);
        if (used < steps)
        {
            output = torch.cat(new[] { output, torch.zeros(batch, steps - used, output.shape[2], dtype: output.dtype, device: output.device) }, 1);
        }

        output = Merge(output);
        return new RecurrentOutput(output.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope(), cell?.MoveToOuterDisposeScope());
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

    /// <summary>Sets training or evaluation mode, here and on the native modules.</summary>
    /// <param name="train">True for training mode (dropout between layers on). Default: true.</param>
    public override void train(bool train = true)
    {
        base.train(train);
        foreach (NativeRecurrentLayer layer in _layers)
        {
            layer.Train(train);
        }
    }

    /// <summary>Converts or moves the native modules (libtorch converts their parameters in place), registers their
    /// parameters again under our names, and converts or moves the learned initial state.</summary>
    /// <param name="dtype">Target element type, or null to keep it.</param>
    /// <param name="device">Target device, or null to keep it.</param>
    /// <param name="non_blocking">Copy asynchronously where possible.</param>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        foreach (NativeRecurrentLayer layer in _layers)
        {
            layer.MoveTo(dtype, device, non_blocking);
        }

        RegisterWeights();
        foreach (string name in new[] { InitialHiddenName, InitialCellName })
        {
            if (_internal_params.TryGetValue(name, out Parameter? state) && ReplaceParameter(dtype, device, state, out Parameter? moved))
            {
                state.Dispose();
                ConditionallyRegisterParameter(name, moved);
            }
        }

        if (device is not null)
        {
            _deviceType = device.type;
            _deviceIndex = device.index;
        }
    }

    /// <summary>Releases the parameters and the native modules.</summary>
    /// <param name="disposing">True when called from <see cref="nn.Module.Dispose()"/>.</param>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (NativeRecurrentLayer layer in _layers)
            {
                layer.Dispose();
            }
        }
    }

    /// <summary>Routes the fused path to our sequence-GEMM kernel (<see cref="RecurrentLayerOptions.Backend"/>). Auto
    /// follows our timing (docs/recurrent-layers.md): our kernel wins on the CPU when a graph is recorded for backward
    /// over rows of mixed lengths (one product per weight gradient instead of one per step); TorchSharp's native module
    /// is as fast or faster for inference and equal lengths (re-checked with the bidirectional step loop: 0.93× in
    /// inference, 0.74× on equal lengths), and cuDNN wins on CUDA.</summary>
    private bool UseSequenceGemm(Tensor x, SequenceLengths info) => _options.Backend switch
    {
        RecurrentBackend.SequenceGemm => true,
        RecurrentBackend.Auto => Mode is RecurrentMode.Lstm or RecurrentMode.Gru
            && x.device_type == DeviceType.CPU
            && _options.VariableLengths != VariableLengthStrategy.Masked
            && !info.IsFull
            && torch.is_grad_enabled(),
        _ => false,
    };

    /// <summary>Backend = SequenceGemm on a recurrence the kernel does not compute.</summary>
    private static void CheckBackend(RecurrentLayerOptions options, RecurrentMode mode)
    {
        if (options.Backend == RecurrentBackend.SequenceGemm && mode is not (RecurrentMode.Lstm or RecurrentMode.Gru))
        {
            throw new NotSupportedException($"Backend = SequenceGemm computes LSTM and GRU layers only; got {mode}. Use Auto or TorchSharp.");
        }
    }

    /// <summary>Validates the options before anything is built and names the module after its recurrence.</summary>
    private static string ModuleName(RecurrentLayerOptions options, RecurrentMode mode)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckBackend(options, mode);
        return mode.ToString();
    }

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    /// <summary>Registers (or re-registers, keeping the order) every native parameter under its PyTorch name.</summary>
    private void RegisterWeights()
    {
        foreach ((string name, Parameter parameter) in _layers.SelectMany(l => l.NamedParameters()))
        {
            ConditionallyRegisterParameter(name, parameter);
        }
    }

    private void RegisterInitialState(string name)
    {
        var parameter = new Parameter(torch.zeros(StateCount, HiddenSize));
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
    }

    private Tensor Merge(Tensor output)
    {
        if (!IsBidirectional || _options.Merge == BidirectionalMerge.Concat)
        {
            return output;
        }

        Tensor sum = output.narrow(2, 0, HiddenSize) + output.narrow(2, HiddenSize, HiddenSize);
        return _options.Merge == BidirectionalMerge.Average ? sum * 0.5 : sum;
    }

    private (Tensor? Hidden, Tensor? Cell) InitialState(Tensor? initialHidden, Tensor? initialCell, long batch)
    {
        if (initialHidden is not null || !_internal_params.TryGetValue(InitialHiddenName, out Parameter? learnedHidden))
        {
            return (initialHidden, initialCell);
        }

        Tensor Expand(Tensor p) => p.unsqueeze(1).expand(StateCount, batch, HiddenSize).contiguous();
        return (Expand(learnedHidden), _internal_params.TryGetValue(InitialCellName, out Parameter? learnedCell) ? Expand(learnedCell) : null);
    }

    private void CheckInput(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != InputSize)
        {
            throw new ArgumentException(
                $"{GetType().Name} expects input [batch, time, {InputSize}], got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        if (_options.Kernel == RecurrentKernel.Fused && input.dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new NotSupportedException(
                $"The fused {Mode} kernel runs only on float32 or float64 input; got {input.dtype}.");
        }

        Tensor weight = _layers[0].Weights(0)[0];
        if (input.dtype != weight.dtype || !SameDevice(input, weight))
        {
            throw new ArgumentException(
                $"input is {input.dtype} on {input.device}; the layer's parameters are {weight.dtype} on {weight.device}.", nameof(input));
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
            if (state is not null && (!state.shape.SequenceEqual(expected) || state.dtype != input.dtype || !SameDevice(state, input)))
            {
                throw new ArgumentException(
                    $"{name} must be [{string.Join(", ", expected)}] (layers·directions, batch, hidden) {input.dtype} on {input.device}; " +
                    $"got [{string.Join(", ", state.shape)}] {state.dtype} on {state.device}.", name);
            }
        }
    }
}
