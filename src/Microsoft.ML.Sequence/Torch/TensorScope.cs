namespace Microsoft.ML.Sequence.Torch;

/// <summary>
/// Frees every tensor created while it is the current scope when it is disposed, so temporaries of a training step
/// or a prediction never wait for the garbage collector.
/// </summary>
/// <remarks>
/// <para>The current scope flows with the async execution context (<see cref="AsyncLocal{T}"/>), so code that
/// awaits inside a scope still creates its tensors in that scope whichever thread it resumes on.</para>
/// <para>Scopes nest strictly: disposing a scope that is not the innermost one throws. A tensor leaves a scope
/// through <see cref="Keep"/> (the caller then owns it) or <see cref="MoveToOuter"/> (the enclosing scope owns it).</para>
/// <example><code>
/// using var scope = TensorScope.Begin();
/// Tensor probabilities = scope.Keep(model.Forward(batch).Softmax(dim: -1));
/// </code></example>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    private static readonly AsyncLocal<TensorScope?> CurrentScope = new();

    private readonly TensorScope? _outer;
    private readonly List<IScopedResource> _owned = new();
    private readonly object _gate = new();
    private bool _disposed;

    private TensorScope(TensorScope? outer) => _outer = outer;

    /// <summary>The innermost scope of the current async flow, or null.</summary>
    public static TensorScope? Current => CurrentScope.Value;

    /// <summary>Number of resources this scope will free when disposed.</summary>
    public int OwnedCount
    {
        get
        {
            lock (_gate)
            {
                return _owned.Count;
            }
        }
    }

    /// <summary>Starts a scope nested in the current one and makes it current.</summary>
    /// <returns>The scope; dispose it to free its tensors.</returns>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Takes <paramref name="tensor"/> out of this scope: the caller owns it and must dispose it.</summary>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not owned by this scope.</exception>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Release(tensor);
        return tensor;
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to the caller when there is none).</summary>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    /// <exception cref="InvalidOperationException">The tensor is not owned by this scope.</exception>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Release(tensor);
        _outer?.Register(tensor);
        return tensor;
    }

    /// <summary>Frees every tensor still owned by the scope and makes the enclosing scope current.</summary>
    /// <exception cref="InvalidOperationException">An inner scope is still open in this async flow.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!ReferenceEquals(CurrentScope.Value, this))
        {
            throw new InvalidOperationException(
                "TensorScope disposed out of order: an inner scope is still open, or the scope is disposed from another async flow.");
        }

        _disposed = true;
        CurrentScope.Value = _outer;
        IScopedResource[] owned;
        lock (_gate)
        {
            owned = _owned.ToArray();
            _owned.Clear();
        }

        foreach (IScopedResource resource in owned)
        {
            resource.Dispose();
        }
    }

    internal void Register(IScopedResource resource)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(TensorScope), "A tensor was created in a scope that has ended.");
            }

            _owned.Add(resource);
        }
    }

    private void Release(IScopedResource resource)
    {
        lock (_gate)
        {
            int index = _owned.LastIndexOf(resource);
            if (index < 0)
            {
                throw new InvalidOperationException("The tensor is not owned by this scope.");
            }

            _owned.RemoveAt(index);
        }
    }
}
