using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

// Views, reshaping, joining and indexing.
public sealed partial class Tensor
{
    private unsafe delegate int ShapeCall(TensorHandle input, long* values, int count, out IntPtr result);

    private unsafe Tensor WithInts(ReadOnlySpan<long> values, ShapeCall call, string export)
    {
        fixed (long* v = values)
        {
            return Wrap(call(Handle, v, values.Length, out IntPtr raw), raw, export);
        }
    }

    /// <summary>Same elements in a new shape (a view when possible, else a copy); one size may be −1.</summary>
    /// <param name="shape">New shape.</param>
    /// <returns>A new tensor.</returns>
    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape) => WithInts(shape, NativeMethods.mls_tensor_reshape, "mls_tensor_reshape");

    /// <summary>A view with a new shape over the same storage; fails when the layout does not allow one.</summary>
    /// <param name="shape">New shape; one size may be −1.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public unsafe Tensor View(params ReadOnlySpan<long> shape) => WithInts(shape, NativeMethods.mls_tensor_view, "mls_tensor_view");

    /// <summary>A broadcast view with size-1 dimensions repeated to <paramref name="shape"/> (−1 keeps a size).</summary>
    /// <param name="shape">Target shape.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public unsafe Tensor Expand(params ReadOnlySpan<long> shape) => WithInts(shape, NativeMethods.mls_tensor_expand, "mls_tensor_expand");

    /// <summary>Tiles the tensor <paramref name="repeats"/>[i] times along each dimension.</summary>
    /// <param name="repeats">Repeat count per dimension.</param>
    /// <returns>A new tensor.</returns>
    public unsafe Tensor Repeat(params ReadOnlySpan<long> repeats) => WithInts(repeats, NativeMethods.mls_tensor_repeat, "mls_tensor_repeat");

    /// <summary>Reorders dimensions: result dimension i is input dimension <paramref name="dims"/>[i].</summary>
    /// <param name="dims">A permutation of the dimensions.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public unsafe Tensor Permute(params ReadOnlySpan<long> dims) => WithInts(dims, NativeMethods.mls_tensor_permute, "mls_tensor_permute");

    /// <summary>Reverses the order of elements along <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reverse.</param>
    /// <returns>A new tensor.</returns>
    public unsafe Tensor Flip(params ReadOnlySpan<long> dims) => WithInts(dims, NativeMethods.mls_tensor_flip, "mls_tensor_flip");

    /// <summary>Swaps two dimensions.</summary>
    /// <param name="dim0">First dimension.</param>
    /// <param name="dim1">Second dimension.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Transpose(long dim0, long dim1) =>
        Wrap(NativeMethods.mls_tensor_transpose(Handle, dim0, dim1, out IntPtr raw), raw, "mls_tensor_transpose");

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1.</summary>
    /// <param name="dim">Dimension.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Squeeze(long dim) =>
        Wrap(NativeMethods.mls_tensor_squeeze(Handle, dim, out IntPtr raw), raw, "mls_tensor_squeeze");

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    /// <param name="dim">Position of the new dimension.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Unsqueeze(long dim) =>
        Wrap(NativeMethods.mls_tensor_unsqueeze(Handle, dim, out IntPtr raw), raw, "mls_tensor_unsqueeze");

    /// <summary>The slice [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// dimension <paramref name="dim"/>.</summary>
    /// <param name="dim">Dimension.</param>
    /// <param name="start">First index.</param>
    /// <param name="length">Number of indices.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Narrow(long dim, long start, long length) =>
        Wrap(NativeMethods.mls_tensor_narrow(Handle, dim, start, length, out IntPtr raw), raw, "mls_tensor_narrow");

    /// <summary>The sub-tensor at <paramref name="index"/> of dimension <paramref name="dim"/> (that dimension removed).</summary>
    /// <param name="dim">Dimension.</param>
    /// <param name="index">Index; negative counts from the end.</param>
    /// <returns>A new tensor sharing storage.</returns>
    public Tensor Select(long dim, long index) =>
        Wrap(NativeMethods.mls_tensor_select(Handle, dim, index, out IntPtr raw), raw, "mls_tensor_select");

    /// <summary>The entries of dimension <paramref name="dim"/> listed in <paramref name="index"/> (int64, 1-D).</summary>
    /// <param name="dim">Dimension.</param>
    /// <param name="index">Indices.</param>
    /// <returns>A new tensor.</returns>
    public Tensor IndexSelect(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(NativeMethods.mls_tensor_index_select(Handle, dim, index.Handle, out IntPtr raw), raw, "mls_tensor_index_select");
    }

    /// <summary>Picks, along <paramref name="dim"/>, the element named by <paramref name="index"/> at each position.</summary>
    /// <param name="dim">Dimension.</param>
    /// <param name="index">int64 indices, same rank as this tensor.</param>
    /// <returns>A new tensor shaped like <paramref name="index"/>.</returns>
    public Tensor Gather(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(NativeMethods.mls_tensor_gather(Handle, dim, index.Handle, out IntPtr raw), raw, "mls_tensor_gather");
    }

    /// <summary>A copy with each element of <paramref name="source"/> added at the position <paramref name="index"/>
    /// names along <paramref name="dim"/>.</summary>
    /// <param name="dim">Dimension.</param>
    /// <param name="index">int64 indices shaped like <paramref name="source"/>.</param>
    /// <param name="source">Values to add.</param>
    /// <returns>A new tensor.</returns>
    public Tensor ScatterAdd(long dim, Tensor index, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        return Wrap(NativeMethods.mls_tensor_scatter_add(Handle, dim, index.Handle, source.Handle, out IntPtr raw), raw,
            "mls_tensor_scatter_add");
    }

    /// <summary>Lower triangle (elements above diagonal <paramref name="diagonal"/> set to 0).</summary>
    /// <param name="diagonal">0 = main diagonal, positive = above it. Default: 0.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Tril(long diagonal = 0) =>
        Wrap(NativeMethods.mls_tensor_triangle(0, Handle, diagonal, out IntPtr raw), raw, "mls_tensor_triangle");

    /// <summary>Upper triangle (elements below diagonal <paramref name="diagonal"/> set to 0).</summary>
    /// <param name="diagonal">0 = main diagonal, positive = above it. Default: 0.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Triu(long diagonal = 0) =>
        Wrap(NativeMethods.mls_tensor_triangle(1, Handle, diagonal, out IntPtr raw), raw, "mls_tensor_triangle");

    /// <summary>Joins tensors along an existing dimension.</summary>
    /// <param name="tensors">Tensors with equal sizes except along <paramref name="dim"/>.</param>
    /// <param name="dim">Dimension. Default: 0.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(0, tensors, dim, "cat");

    /// <summary>Stacks equally shaped tensors along a new dimension.</summary>
    /// <param name="tensors">Tensors of one shape.</param>
    /// <param name="dim">Position of the new dimension. Default: 0.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(1, tensors, dim, "stack");

    private static unsafe Tensor Join(int which, IReadOnlyList<Tensor> tensors, long dim, string name)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException($"{name} needs at least one tensor.", nameof(tensors));
        }

        using var lease = new HandleLease();
        IntPtr[] pointers = lease.AddAll(tensors);
        fixed (IntPtr* p = pointers)
        {
            return Wrap(NativeMethods.mls_tensor_join(which, p, pointers.Length, dim, out IntPtr raw), raw, "mls_tensor_join");
        }
    }
}
