namespace Microsoft.ML.Sequence.Torch.Interop;

/// <summary>
/// Keeps the native handles of optional or listed tensors alive for the length of one native call and hands out
/// their raw pointers; a concurrent <see cref="Tensor.Dispose"/> then cannot free a tensor the shim is reading.
/// </summary>
internal struct HandleLease : IDisposable
{
    private List<TensorHandle>? _leased;

    /// <summary>The raw pointer of <paramref name="tensor"/>, or zero for null.</summary>
    public IntPtr Add(Tensor? tensor)
    {
        if (tensor is null)
        {
            return IntPtr.Zero;
        }

        TensorHandle handle = tensor.Handle;
        bool added = false;
        handle.DangerousAddRef(ref added);
        (_leased ??= new List<TensorHandle>(4)).Add(handle);
        return handle.DangerousGetHandle();
    }

    /// <summary>The raw pointers of <paramref name="tensors"/>, in order.</summary>
    public IntPtr[] AddAll(IReadOnlyList<Tensor> tensors)
    {
        var pointers = new IntPtr[tensors.Count];
        for (int i = 0; i < pointers.Length; i++)
        {
            pointers[i] = Add(tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"Element {i} is null."));
        }

        return pointers;
    }

    public void Dispose()
    {
        if (_leased is null)
        {
            return;
        }

        foreach (TensorHandle handle in _leased)
        {
            handle.DangerousRelease();
        }

        _leased = null;
    }
}
