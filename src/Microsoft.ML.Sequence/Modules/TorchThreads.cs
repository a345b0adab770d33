using TorchSharp;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>The number of CPU threads libtorch uses for one operation, for the whole process.</summary>
/// <remarks>
/// <para>libtorch 2.10 runs its intra-op work on one OpenMP pool, and MKL (its CPU BLAS) follows the same setting, so
/// <c>torch.set_num_threads</c> is the one switch; environment variables such as <c>OMP_NUM_THREADS</c> set from .NET
/// do not reach the native <c>getenv</c>. The default, applied by our trainers and transformers on first use unless
/// <see cref="Set"/> was called before, is <see cref="Environment.ProcessorCount"/> threads.</para>
/// </remarks>
public static class TorchThreads
{
    private static int _chosen;

    /// <summary>The intra-op thread count libtorch uses now.</summary>
    public static int Count => torch.get_num_threads();

    /// <summary>Sets libtorch's intra-op thread count (OpenMP and MKL together) for the whole process.</summary>
    /// <param name="threads">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void Set(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be at least 1; got {threads}.");
        }

        Volatile.Write(ref _chosen, 1);
        torch.set_num_threads(threads);
    }

    /// <summary>Applies the default once, unless a thread count was chosen with <see cref="Set"/> before.</summary>
    internal static void EnsureDefault()
    {
        if (Interlocked.CompareExchange(ref _chosen, 1, 0) == 0)
        {
            torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
        }
    }
}
