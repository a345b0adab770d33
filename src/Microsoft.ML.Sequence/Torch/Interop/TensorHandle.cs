using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

/// <summary>Owns one native <c>mls_tensor*</c>; releasing it frees the native tensor exactly once.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.mls_tensor_free(handle) == 0;
}
