using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>A libtorch random-number generator owned by one model or context, so runs are reproducible from
/// one seed without touching the global generator.</summary>
public sealed class RandomGenerator : IDisposable
{
    private readonly GeneratorHandle _handle;

    /// <summary>Creates a generator for <paramref name="device"/> seeded with <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="device">Device whose tensors it fills. Default: CPU.</param>
    public RandomGenerator(ulong seed, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        NativeError.Check(NativeMethods.mls_generator_new((int)target.Type, target.Index, seed, out IntPtr raw),
            "mls_generator_new");
        _handle = new GeneratorHandle(raw);
        Device = target;
    }

    /// <summary>Device whose tensors this generator fills.</summary>
    public Device Device { get; }

    internal GeneratorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Restarts the sequence from <paramref name="seed"/>.</summary>
    /// <param name="seed">The new seed.</param>
    public void Reseed(ulong seed) => NativeError.Check(NativeMethods.mls_generator_set_seed(Handle, seed), "mls_generator_set_seed");

    /// <summary>A copy of the generator's internal state (a uint8 tensor), for checkpoints.</summary>
    /// <returns>The state tensor.</returns>
    public Tensor GetState()
    {
        NativeError.Check(NativeMethods.mls_generator_get_state(Handle, out IntPtr state), "mls_generator_get_state");
        return new Tensor(state);
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    /// <param name="state">The state tensor.</param>
    public void SetState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        NativeError.Check(NativeMethods.mls_generator_set_state(Handle, state.Handle), "mls_generator_set_state");
    }

    /// <summary>Frees the native generator.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The raw handle for an optional generator argument, kept alive by the caller's reference.</summary>
    internal static IntPtr RawOrZero(RandomGenerator? generator) =>
        generator is null ? IntPtr.Zero : generator.Handle.DangerousGetHandle();
}
