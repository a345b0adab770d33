using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>
/// A trainable leaf tensor owned by a <see cref="Module"/> (or created directly for an optimiser): its
/// <see cref="Value"/> records operations for autograd unless the parameter is frozen, and its gradient accumulates
/// in <see cref="Grad"/>.
/// </summary>
/// <remarks>
/// <para>The value is held outside every <see cref="TensorScope"/>, so a module's weights outlive the scope of a
/// training step; it is freed by <see cref="Dispose"/> (a module disposes its parameters).</para>
/// <para>Device moves and loads may replace the value tensor: read <see cref="Value"/> when needed instead of
/// caching it across <see cref="Module.To(Device)"/>.</para>
/// </remarks>
public sealed class ModuleParameter : IDisposable
{
    private Tensor _value;
    private bool _requiresGrad;

    /// <summary>Creates a parameter holding the values of <paramref name="initial"/>.</summary>
    /// <param name="initial">Initial values (floating point). The parameter takes its own detached handle to the same
    /// storage; <paramref name="initial"/> stays the caller's (or its scope's) to dispose.</param>
    /// <param name="requiresGrad">Whether the parameter is trainable. Default: true.</param>
    public ModuleParameter(Tensor initial, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _value = TakeOwnership(initial);
        _requiresGrad = requiresGrad;
        _value.RequiresGrad = requiresGrad;
    }

    /// <summary>The current values: a leaf tensor that requires gradients unless the parameter is frozen.</summary>
    /// <exception cref="ObjectDisposedException">The parameter has been disposed.</exception>
    public Tensor Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(_value.IsDisposed, this);
            return _value;
        }
    }

    /// <summary>The accumulated gradient, or null when there is none. Each read returns a new handle to the same
    /// storage (created in the current scope); in-place changes to it change the parameter's gradient.</summary>
    public Tensor? Grad => Value.Grad;

    /// <summary>Whether the parameter is trainable. Setting false freezes it: no gradient is recorded and the current
    /// gradient is cleared, so optimisers leave it unchanged.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            Value.RequiresGrad = value;
            _requiresGrad = value;
            if (!value)
            {
                ZeroGrad();
            }
        }
    }

    /// <summary>Shape of the value.</summary>
    public IReadOnlyList<long> Shape => Value.Shape;

    /// <summary>Number of elements of the value.</summary>
    public long ElementCount => Value.ElementCount;

    /// <summary>True once the parameter has been disposed.</summary>
    public bool IsDisposed => _value.IsDisposed;

    /// <summary>Clears the gradient (sets it to none, the cheap way to zero it).</summary>
    public void ZeroGrad() => Value.SetGrad(null);

    /// <summary>Frees the value tensor. Safe to call more than once.</summary>
    public void Dispose() => _value.Dispose();

    /// <summary>A short description: shape, dtype, device and whether it is trainable.</summary>
    /// <returns>For example <c>ModuleParameter Tensor[4, 3] float32 cpu</c>.</returns>
    public override string ToString() =>
        IsDisposed ? "ModuleParameter (disposed)" : $"ModuleParameter {_value}{(_requiresGrad ? string.Empty : " frozen")}";

    /// <summary>Replaces the value with <paramref name="replacement"/> (device moves, loads). The parameter takes its
    /// own detached handle, keeps its trainable flag, drops the old gradient and frees the old handle.</summary>
    internal void ReplaceValue(Tensor replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        Tensor old = Value;
        Tensor next = TakeOwnership(replacement);
        next.RequiresGrad = _requiresGrad;
        old.SetGrad(null);
        _value = next;
        old.Dispose();
    }

    /// <summary>A detached handle to <paramref name="tensor"/>'s storage that no scope owns.</summary>
    internal static Tensor TakeOwnership(Tensor tensor)
    {
        Tensor own = tensor.Detach();
        TensorScope.Current?.Keep(own);
        return own;
    }
}
