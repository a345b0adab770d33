using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

// P/Invoke declarations for nn.cpp: neural-network ops and losses. Optional tensors are raw pointers (zero = none).
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int mls_nn_linear(TensorHandle input, TensorHandle weight, IntPtr bias, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_embedding(TensorHandle weight, TensorHandle indices, long paddingIndex,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_dropout(TensorHandle input, double p, int train, IntPtr generator,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_layer_norm(TensorHandle input, long* normalizedShape, int ndim, IntPtr weight,
        IntPtr bias, double eps, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_batch_norm(TensorHandle input, IntPtr weight, IntPtr bias, IntPtr runningMean,
        IntPtr runningVar, int training, double momentum, double eps, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_conv(TensorHandle input, TensorHandle weight, IntPtr bias, long* stride,
        long* padding, long* dilation, int spatialDims, long groups, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_max_pool(TensorHandle input, long* kernel, long* stride, long* padding,
        long* dilation, int spatialDims, int ceilMode, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_adaptive_avg_pool(TensorHandle input, long* outputSize, int spatialDims,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_cross_entropy(TensorHandle input, TensorHandle target, IntPtr weight,
        int reduction, long ignoreIndex, double labelSmoothing, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_nll_loss(TensorHandle input, TensorHandle target, IntPtr weight, int reduction,
        long ignoreIndex, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_ctc_loss(TensorHandle logProbs, TensorHandle targets, TensorHandle inputLengths,
        TensorHandle targetLengths, long blank, int reduction, int zeroInfinity, out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction,
        out IntPtr result);

    [LibraryImport(Library)]
    internal static partial int mls_nn_bce_with_logits(TensorHandle input, TensorHandle target, IntPtr posWeight,
        int reduction, out IntPtr result);
}
