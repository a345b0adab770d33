using System.Runtime.InteropServices;

namespace Microsoft.ML.Sequence.Torch.Interop;

// P/Invoke declarations for rnn.cpp: whole-sequence recurrent kernels and packing. Optional tensors are raw pointers.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int mls_rnn_lstm(TensorHandle input, IntPtr batchSizes, IntPtr h0, IntPtr c0,
        IntPtr* weights, int weightCount, int hasBiases, long numLayers, double dropout, int train, int bidirectional,
        int batchFirst, out IntPtr output, out IntPtr hN, out IntPtr cN);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_lstm_sequence_gemm(TensorHandle input, IntPtr batchSizes, IntPtr h0, IntPtr c0,
        IntPtr* weights, int weightCount, int hasBiases, long numLayers, int bidirectional, int batchFirst,
        out IntPtr output, out IntPtr hN, out IntPtr cN);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_gru(TensorHandle input, IntPtr batchSizes, IntPtr h0, IntPtr* weights,
        int weightCount, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst,
        out IntPtr output, out IntPtr hN);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_tanh(TensorHandle input, IntPtr batchSizes, IntPtr h0, IntPtr* weights,
        int weightCount, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst,
        out IntPtr output, out IntPtr hN);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_relu(TensorHandle input, IntPtr batchSizes, IntPtr h0, IntPtr* weights,
        int weightCount, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst,
        out IntPtr output, out IntPtr hN);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_pack_padded(TensorHandle input, TensorHandle lengths, int batchFirst,
        out IntPtr data, out IntPtr batchSizes);

    [LibraryImport(Library)]
    internal static partial int mls_rnn_pad_packed(TensorHandle data, TensorHandle batchSizes, int batchFirst,
        double paddingValue, long totalLength, out IntPtr output, out IntPtr lengths);
}
