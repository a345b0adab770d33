using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

// P/Invoke declarations for guard.cpp: errors, counters, threads, devices, seeds, grad mode.
internal static partial class NativeMethods
{
    internal const string Library = "mlsnative";

    [LibraryImport(Library)]
    internal static partial IntPtr mls_last_error();

    [LibraryImport(Library)]
    internal static partial long mls_live_tensor_count();

    [LibraryImport(Library)]
    internal static partial int mls_threads_set(int intraOp, int blas, out int blasApplied);

    [LibraryImport(Library)]
    internal static partial int mls_threads_get(out int intraOp, out int blas);

    [LibraryImport(Library)]
    internal static partial int mls_cuda_is_available(out int available);

    [LibraryImport(Library)]
    internal static partial int mls_cuda_device_count(out int count);

    [LibraryImport(Library)]
    internal static partial int mls_random_manual_seed(ulong seed);

    [LibraryImport(Library)]
    internal static partial int mls_autograd_set_enabled(int enabled);

    [LibraryImport(Library)]
    internal static partial int mls_autograd_is_enabled(out int enabled);
}
