namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Settings of a recurrent layer (<see cref="Lstm"/>, <see cref="Gru"/>, <see cref="ElmanRnn"/>). Each
/// property states its default; <see cref="Validate"/> checks them all. A layer copies the options when it is built, so
/// changing them afterwards does not change the layer.</summary>
public sealed class RecurrentLayerOptions
{
    /// <summary>Width of each input step (F), at least 1. Default: 1.</summary>
    public int InputSize { get; set; } = 1;

    /// <summary>Width of the hidden state (H) of each direction, at least 1. Default: 1.</summary>
    public int HiddenSize { get; set; } = 1;

    /// <summary>Number of stacked layers (L), from 1 to 64. Default: 1.</summary>
    public int LayerCount { get; set; } = 1;

    /// <summary>Add a backward direction (D = 2). Default: false.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>How the two directions are combined in the returned output of a bidirectional layer (between stacked
    /// layers they are always concatenated). Has no effect, with a warning, on a unidirectional layer.
    /// Default: <see cref="BidirectionalMerge.Concat"/>.</summary>
    public BidirectionalMerge Merge { get; set; } = BidirectionalMerge.Concat;

    /// <summary>Dropout probability in [0, 1) applied, in training mode only, to each layer's output before it enters
    /// the next layer; masks come from the layer's generator. Has no effect, with a warning, when
    /// <see cref="LayerCount"/> is 1. Default: 0.</summary>
    public double Dropout { get; set; }

    /// <summary>Residual connections from the second layer on: layer k ≥ 1 returns RNN_k(x_k) + x_k, where x_k is its
    /// input (after dropout). The widths always match there, since every layer above the first reads D·H features.
    /// Has no effect, with a warning, when <see cref="LayerCount"/> is 1. Default: false.</summary>
    public bool Residual { get; set; }

    /// <summary>Learn the initial state: parameters <c>initial_hidden</c> (and for the LSTM <c>initial_cell</c>),
    /// [L·D, H], zero-initialised, shared by every row. An initial state passed to <c>Forward</c> replaces them.
    /// Default: false (the initial state is zero unless one is passed).</summary>
    public bool LearnedInitialState { get; set; }

    /// <summary>Which implementation runs the layer (see <see cref="RecurrentKernel"/> for the conditions of the fused
    /// path). Default: <see cref="RecurrentKernel.Auto"/> (fused).</summary>
    public RecurrentKernel Kernel { get; set; } = RecurrentKernel.Auto;

    /// <summary>How the fused kernel handles rows of different lengths. <see cref="VariableLengthStrategy.Packed"/>
    /// cannot be combined with <see cref="RecurrentKernel.PerStep"/>, which always masks. Default:
    /// <see cref="VariableLengthStrategy.Auto"/> (packed, which skips the padding's row-steps).</summary>
    public VariableLengthStrategy VariableLengths { get; set; } = VariableLengthStrategy.Auto;

    /// <summary>Initialisation scheme (see <see cref="RecurrentInitialization"/> for each one's reason). Default:
    /// <see cref="RecurrentInitialization.Orthogonal"/>.</summary>
    public RecurrentInitialization Initialization { get; set; } = RecurrentInitialization.Orthogonal;

    /// <summary>Initial value of the LSTM forget gate's bias (held in <c>bias_ih</c>; <c>bias_hh</c>'s block is 0, so
    /// this is the effective bias), a finite number. Has no effect, with a warning when changed, on layers without a
    /// forget gate and with <see cref="RecurrentInitialization.PyTorchUniform"/>. Default: 1.</summary>
    public double ForgetBias { get; set; } = 1;

    /// <summary>Activation of <see cref="ElmanRnn"/>; has no effect, with a warning when changed, on other layers.
    /// Default: <see cref="ElmanNonlinearity.Tanh"/>.</summary>
    public ElmanNonlinearity Nonlinearity { get; set; } = ElmanNonlinearity.Tanh;

    /// <summary>Include the biases b_ih and b_hh. Default: true.</summary>
    public bool HasBiases { get; set; } = true;

    /// <summary>Which implementation computes the fused LSTM / GRU path (see <see cref="RecurrentBackend"/>): TorchSharp's
    /// native modules or our sequence-GEMM kernel. Default: <see cref="RecurrentBackend.Auto"/> (our kernel on the CPU
    /// for training over mixed lengths, TorchSharp's otherwise).</summary>
    public RecurrentBackend Backend { get; set; } = RecurrentBackend.Auto;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range or an enum value is unknown; the
    /// message names the property, the expected range and the actual value.</exception>
    /// <exception cref="ArgumentException"><see cref="VariableLengthStrategy.Packed"/> is combined with
    /// <see cref="RecurrentKernel.PerStep"/>, or <see cref="RecurrentBackend.SequenceGemm"/> with
    /// <see cref="RecurrentKernel.PerStep"/> or <see cref="VariableLengthStrategy.Masked"/>.</exception>
    public void Validate()
    {
        Arguments.Range(InputSize, 1, int.MaxValue, nameof(InputSize));
        Arguments.Range(HiddenSize, 1, int.MaxValue, nameof(HiddenSize));
        Arguments.Range(LayerCount, 1, 64, nameof(LayerCount));
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, $"Dropout must be in [0, 1); got {Dropout}.");
        }

        if (!double.IsFinite(ForgetBias))
        {
            throw new ArgumentOutOfRangeException(nameof(ForgetBias), ForgetBias, $"ForgetBias must be a finite number; got {ForgetBias}.");
        }

        Arguments.Defined(Merge, nameof(Merge));
        Arguments.Defined(Kernel, nameof(Kernel));
        Arguments.Defined(VariableLengths, nameof(VariableLengths));
        Arguments.Defined(Initialization, nameof(Initialization));
        Arguments.Defined(Nonlinearity, nameof(Nonlinearity));
        Arguments.Defined(Backend, nameof(Backend));
        if (Backend == RecurrentBackend.SequenceGemm && (Kernel == RecurrentKernel.PerStep || VariableLengths == VariableLengthStrategy.Masked))
        {
            throw new ArgumentException(
                $"Backend = SequenceGemm runs the fused path over packed rows; it cannot be combined with Kernel = {Kernel} and VariableLengths = {VariableLengths}.",
                nameof(Backend));
        }
        if (Kernel == RecurrentKernel.PerStep && VariableLengths == VariableLengthStrategy.Packed)
        {
            throw new ArgumentException(
                "VariableLengths = Packed needs the fused kernel; the per-step kernel masks the state update past each row's end instead. Use Auto or Masked with PerStep.",
                nameof(VariableLengths));
        }
    }

    /// <summary>A copy of these options.</summary>
    /// <returns>A new object with the same settings.</returns>
    public RecurrentLayerOptions Clone() => (RecurrentLayerOptions)MemberwiseClone();

    /// <summary>Settings that would have no effect for a layer of <paramref name="mode"/> (STYLE G6).</summary>
    internal IReadOnlyList<string> NoEffectWarnings(RecurrentMode mode)
    {
        var warnings = new List<string>();
        if (LayerCount == 1 && Dropout > 0)
        {
            warnings.Add($"Dropout = {Dropout} has no effect: dropout applies between stacked layers and LayerCount is 1.");
        }

        if (LayerCount == 1 && Residual)
        {
            warnings.Add("Residual = true has no effect: residual connections start at the second layer and LayerCount is 1.");
        }

        if (!Bidirectional && Merge != BidirectionalMerge.Concat)
        {
            warnings.Add($"Merge = {Merge} has no effect on a unidirectional layer.");
        }

        if (ForgetBias != 1 && (mode != RecurrentMode.Lstm || Initialization == RecurrentInitialization.PyTorchUniform))
        {
            warnings.Add(mode != RecurrentMode.Lstm
                ? $"ForgetBias = {ForgetBias} has no effect: a {mode} layer has no forget gate."
                : $"ForgetBias = {ForgetBias} has no effect with Initialization = PyTorchUniform, which draws every bias from U(−1/√H, 1/√H).");
        }

        if (Nonlinearity != ElmanNonlinearity.Tanh && mode is RecurrentMode.Lstm or RecurrentMode.Gru)
        {
            warnings.Add($"Nonlinearity = {Nonlinearity} has no effect on a {mode} layer (it selects the Elman RNN's activation).");
        }

        return warnings;
    }
}
