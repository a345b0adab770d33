using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>Process-wide libtorch settings: threads, CUDA devices, the global seed and native tensor accounting.</summary>
/// <remarks>
/// <para><b>Thread policy.</b> libtorch's intra-op pool and OpenBLAS's own threads multiply when both are above one,
/// which made an LSTM training step about 5× slower on a 2-core machine. The default applied when the native library
/// is first used is therefore <b>1 intra-op thread and <see cref="Environment.ProcessorCount"/> OpenBLAS
/// threads</b>. Call <see cref="SetThreads"/> to change it; environment variables set from .NET do not reach the native
/// <c>getenv</c>, so this method is the only switch.</para>
/// </remarks>
public static class TorchRuntime
{
    private static int _initialized;

    /// <summary>Applies the default thread policy once, on first use of the native library.</summary>
    internal static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized) == 0 && Interlocked.Exchange(ref _initialized, 1) == 0)
        {
            SetThreads(1, Math.Max(1, Environment.ProcessorCount));
        }
    }

    /// <summary>Sets libtorch's intra-op thread count and OpenBLAS's thread count for the whole process.</summary>
    /// <param name="intraOpThreads">libtorch intra-op threads, at least 1.</param>
    /// <param name="blasThreads">OpenBLAS threads, at least 1 (ignored when libtorch does not use OpenBLAS).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public static void SetThreads(int intraOpThreads, int blasThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blasThreads, 1);
        Volatile.Write(ref _initialized, 1);
        NativeError.Check(NativeMethods.mls_threads_set(intraOpThreads, blasThreads, out _), "mls_threads_set");
    }

    /// <summary>The thread counts in force.</summary>
    public static ThreadSettings Threads
    {
        get
        {
            EnsureInitialized();
            NativeError.Check(NativeMethods.mls_threads_get(out int intraOp, out int blas), "mls_threads_get");
            return new ThreadSettings(intraOp, blas);
        }
    }

    /// <summary>True when libtorch was built with CUDA and at least one GPU is visible.</summary>
    public static bool IsCudaAvailable
    {
        get
        {
            NativeError.Check(NativeMethods.mls_cuda_is_available(out int available), "mls_cuda_is_available");
            return available != 0;
        }
    }

    /// <summary>Number of CUDA GPUs libtorch sees (0 on a CPU-only build).</summary>
    public static int CudaDeviceCount
    {
        get
        {
            NativeError.Check(NativeMethods.mls_cuda_device_count(out int count), "mls_cuda_device_count");
            return count;
        }
    }

    /// <summary>Seeds libtorch's global generators (CPU and every GPU).</summary>
    /// <param name="seed">The seed.</param>
    /// <remarks>Library code never calls this: models draw from a <see cref="RandomGenerator"/> of their own, so
    /// seeding stays the caller's choice.</remarks>
    public static void ManualSeed(ulong seed) =>
        NativeError.Check(NativeMethods.mls_random_manual_seed(seed), "mls_random_manual_seed");

    /// <summary>Number of native tensors alive in this process (created and not yet disposed or finalized).</summary>
    /// <remarks>For leak tests: after a <see cref="TensorScope"/> ends, the count is back to its value before it.</remarks>
    public static long LiveTensorCount => NativeMethods.mls_live_tensor_count();
}
