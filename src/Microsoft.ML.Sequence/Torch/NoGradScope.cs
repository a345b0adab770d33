using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>Disables gradient recording for the ops run while it is open (inference, optimiser updates).</summary>
/// <remarks>Like <see cref="TensorScope"/> it flows with the async context and nests strictly. libtorch keeps grad
/// mode per native thread; before each op the binding brings the executing thread's native mode in line with the
/// innermost open scope, so the setting survives an <c>await</c> that resumes on another thread.</remarks>
public sealed class NoGradScope : IDisposable
{
    private static readonly AsyncLocal<NoGradScope?> CurrentScope = new();

    [ThreadStatic]
    private static int _nativeState; // this thread's native grad mode as last set: 0 unknown, 1 enabled, 2 disabled

    private readonly NoGradScope? _outer;
    private bool _disposed;

    private NoGradScope(NoGradScope? outer) => _outer = outer;

    /// <summary>True when gradient recording is on in the current async flow.</summary>
    public static bool IsGradEnabled => CurrentScope.Value is null;

    /// <summary>Opens a scope in which no op records gradients.</summary>
    /// <returns>The scope; dispose it to restore recording.</returns>
    public static NoGradScope Begin()
    {
        var scope = new NoGradScope(CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Closes the scope.</summary>
    /// <exception cref="InvalidOperationException">An inner scope is still open.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!ReferenceEquals(CurrentScope.Value, this))
        {
            throw new InvalidOperationException("NoGradScope disposed out of order: an inner scope is still open.");
        }

        _disposed = true;
        CurrentScope.Value = _outer;
    }

    /// <summary>Makes the executing thread's native grad mode match the current async flow.</summary>
    internal static void SyncNativeMode()
    {
        int wanted = CurrentScope.Value is null ? 1 : 2;
        if (_nativeState != wanted)
        {
            NativeError.Check(NativeMethods.mls_autograd_set_enabled(wanted == 1 ? 1 : 0), "mls_autograd_set_enabled");
            _nativeState = wanted;
        }
    }
}
