using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

// P/Invoke declarations for tensor.cpp: creation, data, metadata, random numbers, generators, autograd.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int mls_generator_new(int deviceType, int deviceIndex, ulong seed, out IntPtr generator);

    [LibraryImport(Library)]
    internal static partial int mls_generator_free(IntPtr generator);

    [LibraryImport(Library)]
    internal static partial int mls_generator_set_seed(GeneratorHandle generator, ulong seed);

    [LibraryImport(Library)]
    internal static partial int mls_generator_get_state(GeneratorHandle generator, out IntPtr state);

    [LibraryImport(Library)]
    internal static partial int mls_generator_set_state(GeneratorHandle generator, TensorHandle state);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_free(IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_from_data(void* data, long byteCount, int dtype, long* shape, int ndim,
        int deviceType, int deviceIndex, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_copy_to(TensorHandle tensor, void* destination, long byteCount);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_ndim(TensorHandle tensor, out int ndim);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_shape(TensorHandle tensor, long* shape, int capacity);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_dtype(TensorHandle tensor, out int dtype);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_device(TensorHandle tensor, out int deviceType, out int deviceIndex);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_full(long* shape, int ndim, double value, int dtype, int deviceType,
        int deviceIndex, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_arange(double start, double end, double step, int dtype, int deviceType,
        int deviceIndex, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_eye(long n, int dtype, int deviceType, int deviceIndex, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_random(int distribution, long* shape, int ndim, int dtype, int deviceType,
        int deviceIndex, IntPtr generator, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_randint(long low, long high, long* shape, int ndim, int deviceType,
        int deviceIndex, IntPtr generator, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_randperm(long n, int deviceType, int deviceIndex, IntPtr generator,
        out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_bernoulli(TensorHandle probabilities, IntPtr generator, out IntPtr tensor);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_to_dtype(TensorHandle tensor, int dtype, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_to_device(TensorHandle tensor, int deviceType, int deviceIndex,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_clone(TensorHandle tensor, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_detach(TensorHandle tensor, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_contiguous(TensorHandle tensor, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_requires_grad(TensorHandle tensor, out int requiresGrad);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_set_requires_grad(TensorHandle tensor, int requiresGrad);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_grad(TensorHandle tensor, out IntPtr grad);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_set_grad(TensorHandle tensor, IntPtr grad);

    [LibraryImport(Library)]
    internal static partial int mls_tensor_backward(TensorHandle tensor, IntPtr gradient, int retainGraph);
}
