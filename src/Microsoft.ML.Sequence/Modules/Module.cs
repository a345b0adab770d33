using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>
/// Base of every neural building block: owns named trainable parameters, non-trainable buffers and child modules,
/// and gives them a training/evaluation mode, device moves and a state dictionary.
/// </summary>
/// <remarks>
/// <para>A subclass registers everything in its constructor (STYLE M1). Names are PyTorch state-dict keys: a
/// parameter <c>weight_ih_l0</c> of a child registered as <c>encoder</c> is <c>encoder.weight_ih_l0</c> in
/// <see cref="NamedParameters"/> and <see cref="StateDictionary"/>, so the weights load in Python without renaming.
/// Enumeration follows PyTorch: a module's own parameters (then buffers, for the state dictionary) in registration
/// order, then each child's, recursively.</para>
/// <para>A module holds native memory outside every <see cref="TensorScope"/>: dispose it (children are disposed
/// with their parent).</para>
/// </remarks>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, ModuleParameter>> _parameters = new();
    private readonly List<BufferSlot> _buffers = new();
    private readonly List<KeyValuePair<string, Module>> _modules = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Initialises an empty module in training mode.</summary>
    protected Module()
    {
    }

    /// <summary>True in training mode (dropout active), false in evaluation mode. Default: true.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Number of elements of all trainable parameters (frozen parameters not counted), recursively.</summary>
    public long ParameterCount => Parameters().Where(p => p.RequiresGrad).Sum(p => p.ElementCount);

    /// <summary>Every parameter with its dotted name, recursively, in registration order (own parameters first).</summary>
    /// <returns>Pairs such as <c>encoder.weight_ih_l0</c> → parameter.</returns>
    public IEnumerable<KeyValuePair<string, ModuleParameter>> NamedParameters() => CollectParameters(string.Empty);

    /// <summary>Every parameter, recursively, in the order of <see cref="NamedParameters()"/>.</summary>
    /// <returns>The parameters, for example to hand to an optimiser.</returns>
    public IEnumerable<ModuleParameter> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>Sets training mode (or evaluation mode when <paramref name="training"/> is false) on this module and
    /// every child.</summary>
    /// <param name="training">True for training, false for evaluation. Default: true.</param>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (KeyValuePair<string, Module> child in _modules)
        {
            child.Value.Train(training);
        }
    }

    /// <summary>Sets evaluation mode on this module and every child; the same as <c>Train(false)</c>.</summary>
    public void Eval() => Train(false);

    /// <summary>Moves every parameter and buffer, recursively, to <paramref name="device"/>. Gradients are dropped;
    /// move a module before creating its optimiser.</summary>
    /// <param name="device">Target device.</param>
    public void To(Device device) =>
        Convert(t => t.Device != device, t => t.To(device));

    /// <summary>Converts every floating-point parameter and buffer, recursively, to <paramref name="dtype"/> (for
    /// example <see cref="DType.Float64"/> for gradient checks). Integer buffers are left alone; gradients are dropped.</summary>
    /// <param name="dtype">A floating-point dtype.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not floating point.</exception>
    public void To(DType dtype)
    {
        if (dtype is not (DType.Float32 or DType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Modules hold floating-point weights: use Float32 or Float64.");
        }

        Convert(t => t.DType is DType.Float32 or DType.Float64 && t.DType != dtype, t => t.To(dtype));
    }

    private void Convert(Func<Tensor, bool> needsConversion, Func<Tensor, Tensor> convert)
    {
        ThrowIfDisposed();
        using (NoGradScope.Begin())
        using (TensorScope.Begin())
        {
            foreach (KeyValuePair<string, ModuleParameter> entry in _parameters)
            {
                if (needsConversion(entry.Value.Value))
                {
                    entry.Value.ReplaceValue(convert(entry.Value.Value));
                }
            }

            foreach (BufferSlot slot in _buffers)
            {
                if (needsConversion(slot.Value))
                {
                    Tensor old = slot.Value;
                    slot.Value = ModuleParameter.TakeOwnership(convert(old));
                    old.Dispose();
                }
            }
        }

        foreach (KeyValuePair<string, Module> child in _modules)
        {
            child.Value.Convert(needsConversion, convert);
        }

        OnParametersReplaced();
    }

    /// <summary>Every parameter and buffer by dotted name, in state-dict order.</summary>
    /// <returns>New detached handles to the module's storage (created in the current scope); the caller disposes them.
    /// Copy them before changing the module if a snapshot is needed.</returns>
    public IReadOnlyDictionary<string, Tensor> StateDictionary()
    {
        ThrowIfDisposed();
        var state = new OrderedTensorDictionary();
        foreach ((string name, Tensor target) in StateEntries(string.Empty))
        {
            state.Add(name, target.Detach());
        }

        return state;
    }

    /// <summary>Copies values from <paramref name="state"/> into the parameters and buffers of the same names, without
    /// recording gradients (values are converted to each target's dtype and device).</summary>
    /// <param name="state">Tensors by dotted name, for example from <see cref="StateDictionary"/> or a file.</param>
    /// <param name="strict">Require exactly the module's keys: a missing or unexpected key throws. Default: true.</param>
    /// <exception cref="ArgumentException">A shape differs (always), or a key is missing or unexpected in strict mode;
    /// the message names every such key and both shapes. Nothing is copied when this is thrown.</exception>
    public void LoadStateDictionary(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfDisposed();
        List<(Tensor Target, Tensor Source)> copies =
            StateDictionaryMatcher.Match(StateEntries(string.Empty), state, strict, GetType().Name);
        using (NoGradScope.Begin())
        {
            foreach ((Tensor target, Tensor source) in copies)
            {
                target.CopyFrom(source);
            }
        }

        NotifyParametersReplaced();
    }

    /// <summary>Frees every parameter, buffer and child module. Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the module's native state; override to free more, calling the base implementation.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (KeyValuePair<string, ModuleParameter> entry in _parameters)
        {
            entry.Value.Dispose();
        }

        foreach (BufferSlot slot in _buffers)
        {
            slot.Value.Dispose();
        }

        foreach (KeyValuePair<string, Module> child in _modules)
        {
            child.Value.Dispose();
        }
    }

    /// <summary>Registers a trainable parameter initialised from <paramref name="initial"/>.</summary>
    /// <param name="name">State-dict key: non-empty, no dots, unique in this module.</param>
    /// <param name="initial">Initial values; the parameter takes its own handle, and <paramref name="initial"/> stays
    /// the caller's (or its scope's) to dispose.</param>
    /// <returns>The parameter, owned by this module.</returns>
    protected ModuleParameter RegisterParameter(string name, Tensor initial)
    {
        ClaimName(name);
        var parameter = new ModuleParameter(initial);
        _parameters.Add(new KeyValuePair<string, ModuleParameter>(name, parameter));
        return parameter;
    }

    /// <summary>Registers a child module, which this module then owns (moves, mode changes, disposal).</summary>
    /// <typeparam name="T">Type of the child.</typeparam>
    /// <param name="name">Prefix of the child's keys: non-empty, no dots, unique in this module.</param>
    /// <param name="module">The child.</param>
    /// <returns><paramref name="module"/>.</returns>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException("A module cannot be its own child.", nameof(module));
        }

        ClaimName(name);
        module.Train(IsTraining);
        _modules.Add(new KeyValuePair<string, Module>(name, module));
        return module;
    }

    /// <summary>Registers non-trainable state (for example running statistics) that is saved in the state
    /// dictionary and moved with the module.</summary>
    /// <param name="name">State-dict key: non-empty, no dots, unique in this module.</param>
    /// <param name="value">Initial value; the module takes its own detached handle, and <paramref name="value"/> stays
    /// the caller's (or its scope's) to dispose.</param>
    /// <returns>The module's tensor. A device move replaces it: read it again with <see cref="GetBuffer"/> (or in
    /// <see cref="OnParametersReplaced"/>) instead of caching it across moves.</returns>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ClaimName(name);
        var slot = new BufferSlot(name, ModuleParameter.TakeOwnership(value));
        _buffers.Add(slot);
        return slot.Value;
    }

    /// <summary>The current tensor of a buffer registered with <see cref="RegisterBuffer"/>.</summary>
    /// <param name="name">The buffer's name in this module.</param>
    /// <returns>The module's tensor (not a new handle; do not dispose it).</returns>
    /// <exception cref="KeyNotFoundException">No buffer has that name.</exception>
    protected Tensor GetBuffer(string name) =>
        _buffers.FirstOrDefault(b => b.Name == name)?.Value
        ?? throw new KeyNotFoundException($"{GetType().Name} has no buffer named '{name}'.");

    /// <summary>Called after <see cref="To(Device)"/>, <see cref="To(DType)"/> or <see cref="LoadStateDictionary"/> replaced or rewrote
    /// parameter values, so a subclass can rebuild cached lists (such as a recurrent layer's flat weights).</summary>
    protected virtual void OnParametersReplaced()
    {
    }

    private IEnumerable<KeyValuePair<string, ModuleParameter>> CollectParameters(string prefix)
    {
        ThrowIfDisposed();
        foreach (KeyValuePair<string, ModuleParameter> entry in _parameters)
        {
            yield return new KeyValuePair<string, ModuleParameter>(prefix + entry.Key, entry.Value);
        }

        foreach (KeyValuePair<string, Module> child in _modules)
        {
            foreach (KeyValuePair<string, ModuleParameter> entry in child.Value.CollectParameters(prefix + child.Key + "."))
            {
                yield return entry;
            }
        }
    }

    private IEnumerable<(string Name, Tensor Target)> StateEntries(string prefix)
    {
        foreach (KeyValuePair<string, ModuleParameter> entry in _parameters)
        {
            yield return (prefix + entry.Key, entry.Value.Value);
        }

        foreach (BufferSlot slot in _buffers)
        {
            yield return (prefix + slot.Name, slot.Value);
        }

        foreach (KeyValuePair<string, Module> child in _modules)
        {
            foreach ((string Name, Tensor Target) entry in child.Value.StateEntries(prefix + child.Key + "."))
            {
                yield return entry;
            }
        }
    }

    private void NotifyParametersReplaced()
    {
        foreach (KeyValuePair<string, Module> child in _modules)
        {
            child.Value.NotifyParametersReplaced();
        }

        OnParametersReplaced();
    }

    private void ClaimName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        if (name.Length == 0 || name.Contains('.'))
        {
            throw new ArgumentException($"A state-dict name must be non-empty and contain no dots; got '{name}'.", nameof(name));
        }

        if (!_names.Add(name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter, buffer or module named '{name}'.", nameof(name));
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class BufferSlot(string name, Tensor value)
    {
        public string Name { get; } = name;

        public Tensor Value { get; set; } = value;
    }
}
