using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

/// <summary>Owns one native <c>mls_generator*</c>.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    public GeneratorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.mls_generator_free(handle) == 0;
}
