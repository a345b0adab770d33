using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

/// <summary>The one checker every native call goes through (STYLE B2).</summary>
internal static class NativeError
{
    /// <summary>Throws <see cref="TorchException"/> with libtorch's message when <paramref name="status"/> is not 0.</summary>
    /// <remarks>The message is read from the shim's thread-local slot, so this must run on the calling thread
    /// right after the call, before any <c>await</c>.</remarks>
    public static void Check(int status, string export)
    {
        if (status != 0)
        {
            throw new TorchException(Marshal.PtrToStringUTF8(NativeMethods.mls_last_error()) ?? "unknown error", export);
        }
    }
}
