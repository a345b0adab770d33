using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

// P/Invoke declarations for ops.cpp: elementwise, reduction, indexing and shape ops.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int mls_tensor_unary(int op, TensorHandle input, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_binary(int op, TensorHandle left, TensorHandle right, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_binary_scalar(int op, TensorHandle left, double right, out IntPtr result);

    [LibraryImport(Library, EntryPoint = "mls_tensor_binary_")]
    internal static partial int mls_tensor_binary_inplace(int op, TensorHandle left, TensorHandle right, double alpha);

    [LibraryImport(Library, EntryPoint = "mls_tensor_binary_scalar_")]
    internal static partial int mls_tensor_binary_scalar_inplace(int op, TensorHandle left, double right);

    [LibraryImport(Library, EntryPoint = "mls_tensor_copy_")]
    internal static partial int mls_tensor_copy_inplace(TensorHandle destination, TensorHandle source);

    [LibraryImport(Library, EntryPoint = "mls_tensor_fill_")]
    internal static partial int mls_tensor_fill_inplace(TensorHandle tensor, double value);

    [LibraryImport(Library, EntryPoint = "mls_tensor_addcmul_")]
    internal static partial int mls_tensor_addcmul_inplace(TensorHandle tensor, TensorHandle t1, TensorHandle t2,
        double value);

    [LibraryImport(Library, EntryPoint = "mls_tensor_addcdiv_")]
    internal static partial int mls_tensor_addcdiv_inplace(TensorHandle tensor, TensorHandle t1, TensorHandle t2,
        double value);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_reduce(int op, TensorHandle input, long* dims, int dimCount, int keepdim,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_arg_reduce(int which, TensorHandle input, long dim, int hasDim, int keepdim,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_topk(TensorHandle input, long k, long dim, int largest, int sorted,
        out IntPtr values, out IntPtr indices);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_sort(TensorHandle input, long dim, int descending, int stable,
        out IntPtr values, out IntPtr indices);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_softmax(TensorHandle input, long dim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_log_softmax(TensorHandle input, long dim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_matmul(TensorHandle left, TensorHandle right, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_clamp(TensorHandle input, double min, int hasMin, double max, int hasMax,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_where(TensorHandle condition, TensorHandle left, TensorHandle right,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_masked_fill(TensorHandle input, TensorHandle mask, double value,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_join(int which, IntPtr* tensors, int count, long dim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_index_select(TensorHandle input, long dim, TensorHandle index,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_gather(TensorHandle input, long dim, TensorHandle index, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_scatter_add(TensorHandle input, long dim, TensorHandle index,
        TensorHandle source, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_narrow(TensorHandle input, long dim, long start, long length,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_select(TensorHandle input, long dim, long index, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_reshape(TensorHandle input, long* shape, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_view(TensorHandle input, long* shape, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_expand(TensorHandle input, long* shape, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_repeat(TensorHandle input, long* repeats, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_permute(TensorHandle input, long* dims, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_flip(TensorHandle input, long* dims, int ndim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_transpose(TensorHandle input, long dim0, long dim1, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_squeeze(TensorHandle input, long dim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_unsqueeze(TensorHandle input, long dim, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_triangle(int which, TensorHandle input, long diagonal, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_linalg_qr(TensorHandle input, out IntPtr q, out IntPtr r);
}
