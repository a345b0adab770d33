using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>
/// Base of the gradient-descent optimisers: holds the parameters and the learning rate, and applies one update per
/// <see cref="Step"/> from the gradients accumulated by <see cref="Tensor.Backward"/>.
/// </summary>
/// <remarks>
/// <para>A training step is <c>ZeroGrad()</c>, forward, <c>loss.Backward()</c>, <c>Step()</c>. The update runs
/// without recording gradients, inside its own <see cref="TensorScope"/>, with in-place ops on the parameter values.
/// Parameters whose gradient is null (unused in the forward pass, or frozen) are skipped, as in PyTorch.</para>
/// <para>State tensors (momentum, moments) are created on the first update of each parameter, on its device, and live
/// outside every scope until <see cref="Dispose()"/>. Move a module to its device before creating its optimiser.</para>
/// </remarks>
public abstract class Optimizer : IDisposable
{
    private double _learningRate;
    private bool _disposed;

    /// <summary>Initialises the optimiser over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">Parameters to update: at least one, none repeated.</param>
    /// <param name="learningRate">Learning rate, a finite number ≥ 0.</param>
    /// <exception cref="ArgumentException">The list is empty or holds a parameter twice.</exception>
    protected Optimizer(IEnumerable<ModuleParameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        List<ModuleParameter> list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("The optimiser got an empty parameter list.", nameof(parameters));
        }

        var seen = new HashSet<ModuleParameter>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < list.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], $"{nameof(parameters)}[{i}]");
            if (!seen.Add(list[i]))
            {
                throw new ArgumentException($"Parameter {i} appears more than once in the list.", nameof(parameters));
            }
        }

        Parameters = list.AsReadOnly();
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimiser updates, in the order given.</summary>
    public IReadOnlyList<ModuleParameter> Parameters { get; }

    /// <summary>Learning rate used by the next <see cref="Step"/>, a finite number ≥ 0; schedules change it.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Arguments.NonNegative(value, nameof(LearningRate));
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using NoGradScope noGrad = NoGradScope.Begin();
        using TensorScope scope = TensorScope.Begin();
        for (int i = 0; i < Parameters.Count; i++)
        {
            Tensor? gradient = Parameters[i].Grad;
            if (gradient is not null)
            {
                UpdateParameter(i, Parameters[i].Value, gradient);
            }
        }
    }

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (ModuleParameter parameter in Parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Frees the optimiser's state tensors. The parameters are not disposed.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Dispose(true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Applies one update to a parameter value, in place. Called by <see cref="Step"/> with gradient
    /// recording off and a <see cref="TensorScope"/> open, so temporaries need no disposal; keep persistent state with
    /// <see cref="KeepState"/>.</summary>
    /// <param name="index">Position of the parameter in <see cref="Parameters"/>, for indexing per-parameter state.</param>
    /// <param name="value">The parameter's value, to change in place.</param>
    /// <param name="gradient">The parameter's gradient; do not change it.</param>
    protected abstract void UpdateParameter(int index, Tensor value, Tensor gradient);

    /// <summary>Frees state tensors; called once by <see cref="Dispose()"/>. The base implementation does nothing.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Takes a tensor created during <see cref="UpdateParameter"/> out of the step's scope, so it persists
    /// until the optimiser frees it.</summary>
    /// <param name="state">A tensor created in the current update.</param>
    /// <returns><paramref name="state"/>.</returns>
    protected static Tensor KeepState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return TensorScope.Current?.Keep(state) ?? state;
    }

    /// <summary>Disposes every non-null tensor in <paramref name="states"/> and clears the slots.</summary>
    /// <param name="states">Per-parameter state slots.</param>
    protected static void DisposeStates(Tensor?[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        for (int i = 0; i < states.Length; i++)
        {
            states[i]?.Dispose();
            states[i] = null;
        }
    }
}
