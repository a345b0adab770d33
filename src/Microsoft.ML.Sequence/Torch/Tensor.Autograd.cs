using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

// Conversions, copies and automatic differentiation.
public sealed partial class Tensor
{
    /// <summary>A copy converted to <paramref name="dtype"/> (this tensor's data when it already has that dtype).</summary>
    /// <param name="dtype">Target element type.</param>
    /// <returns>A new tensor.</returns>
    public Tensor To(DType dtype) =>
        Wrap(NativeMethods.mls_tensor_to_dtype(Handle, (int)dtype, out IntPtr raw), raw, "mls_tensor_to_dtype");

    /// <summary>A copy on <paramref name="device"/> (this tensor's data when it is already there).</summary>
    /// <param name="device">Target device.</param>
    /// <returns>A new tensor.</returns>
    public Tensor To(Device device) =>
        Wrap(NativeMethods.mls_tensor_to_device(Handle, (int)device.Type, device.Index, out IntPtr raw), raw, "mls_tensor_to_device");

    /// <summary>A copy with its own storage; gradients flow back to this tensor.</summary>
    /// <returns>A new tensor.</returns>
    public Tensor Clone() => Wrap(NativeMethods.mls_tensor_clone(Handle, out IntPtr raw), raw, "mls_tensor_clone");

    /// <summary>The same storage cut off from the autograd graph (no gradient flows through it).</summary>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Detach() =>
        Wrap(NativeMethods.mls_tensor_detach(Handle, out IntPtr raw), raw, "mls_tensor_detach");

    /// <summary>This tensor's elements in row-major contiguous layout.</summary>
    /// <returns>A new tensor (sharing storage when already contiguous).</returns>
    public Tensor Contiguous() =>
        Wrap(NativeMethods.mls_tensor_contiguous(Handle, out IntPtr raw), raw, "mls_tensor_contiguous");

    /// <summary>Whether operations on this tensor are recorded so gradients can be computed for it.</summary>
    public bool RequiresGrad
    {
        get
        {
            NativeError.Check(NativeMethods.mls_tensor_requires_grad(Handle, out int value), "mls_tensor_requires_grad");
            return value != 0;
        }

        set => NativeError.Check(NativeMethods.mls_tensor_set_requires_grad(Handle, value ? 1 : 0), "mls_tensor_set_requires_grad");
    }

    /// <summary>The gradient accumulated by <see cref="Backward"/>, or null when there is none.</summary>
    /// <remarks>Each read returns a new handle to the same gradient storage; dispose it or read it inside a scope.</remarks>
    public Tensor? Grad => WrapOptional(NativeMethods.mls_tensor_grad(Handle, out IntPtr raw), raw, "mls_tensor_grad");

    /// <summary>Replaces the accumulated gradient; null clears it (the cheap way to zero gradients).</summary>
    /// <param name="gradient">New gradient, or null.</param>
    public void SetGrad(Tensor? gradient)
    {
        using var lease = new HandleLease();
        NativeError.Check(NativeMethods.mls_tensor_set_grad(Handle, lease.Add(gradient)), "mls_tensor_set_grad");
    }

    /// <summary>Computes the gradient of this tensor with respect to every leaf that requires one, accumulating
    /// into their <see cref="Grad"/>.</summary>
    /// <param name="gradient">Gradient of the final objective with respect to this tensor; null for a one-element
    /// tensor (then 1).</param>
    /// <param name="retainGraph">Keep the graph for another backward pass. Default: false.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        using var lease = new HandleLease();
        NativeError.Check(NativeMethods.mls_tensor_backward(Handle, lease.Add(gradient), retainGraph ? 1 : 0), "mls_tensor_backward");
    }
}
