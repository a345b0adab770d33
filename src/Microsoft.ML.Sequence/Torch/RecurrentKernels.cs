using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>
/// libtorch's fused whole-sequence recurrent kernels (<c>at::lstm</c>, <c>at::gru</c>, <c>at::rnn_tanh</c>,
/// <c>at::rnn_relu</c>): one native call runs every layer, direction and time step.
/// </summary>
/// <remarks>
/// <para><b>Weights</b> are one flat list, for each layer and then each direction (forward before backward):
/// W_ih [G·H, in], W_hh [G·H, H], and with biases b_ih [G·H], b_hh [G·H]; G is 1 (RNN), 3 (GRU) or 4 (LSTM),
/// and "in" is the input width for layer 0 and D·H above it. The count must be layers × directions × (4 or 2).</para>
/// <para><b>Padded input</b> has no notion of length: every row runs all T steps. For variable lengths, sort rows by
/// descending length, <see cref="PackPadded"/>, run the kernel on the packed data, then <see cref="PadPacked"/>.</para>
/// <para>The kernel's own dropout between layers draws from libtorch's global generator.</para>
/// </remarks>
public static class RecurrentKernels
{
    /// <summary>Runs a fused recurrent kernel over a whole batch of sequences.</summary>
    /// <param name="mode">Recurrence.</param>
    /// <param name="input">Padded [B, T, F] (batch-first) or [T, B, F]; or packed data [Σ lengths, F].</param>
    /// <param name="weights">Flat weight list (see remarks).</param>
    /// <param name="layers">Number of stacked layers.</param>
    /// <param name="bidirectional">Run a backward direction too.</param>
    /// <param name="batchFirst">Padded input is [B, T, F] (true) or [T, B, F]. Ignored for packed input.</param>
    /// <param name="hasBiases">Weights include b_ih and b_hh. Default: true.</param>
    /// <param name="batchSizes">For packed input, the batch sizes from <see cref="PackPadded"/>; null for padded input.</param>
    /// <param name="initialHidden">h0 [L·D, B, H] or null for zeros.</param>
    /// <param name="initialCell">LSTM c0 [L·D, B, H]; must be given together with <paramref name="initialHidden"/>.</param>
    /// <param name="dropout">Dropout between layers (training only). Default: 0.</param>
    /// <param name="training">Training mode (enables dropout). Default: true.</param>
    /// <param name="backend">Implementation. Default: <see cref="RecurrentBackend.Auto"/>.</param>
    /// <returns>Outputs and final states.</returns>
    /// <exception cref="ArgumentException"><see cref="RecurrentBackend.SequenceGemm"/> was asked for a mode other than
    /// LSTM or with in-kernel dropout.</exception>
    public static unsafe RecurrentKernelOutput Run(RecurrentMode mode, Tensor input, IReadOnlyList<Tensor> weights, int layers,
        bool bidirectional, bool batchFirst = true, bool hasBiases = true, Tensor? batchSizes = null,
        Tensor? initialHidden = null, Tensor? initialCell = null, double dropout = 0, bool training = true,
        RecurrentBackend backend = RecurrentBackend.Auto)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        if (dropout < 0 || dropout >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        }

        int expected = layers * (bidirectional ? 2 : 1) * (hasBiases ? 4 : 2);
        if (weights.Count != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} weight tensors ({layers} layers × {(bidirectional ? 2 : 1)} directions × {(hasBiases ? 4 : 2)}), got {weights.Count}.",
                nameof(weights));
        }

        if (mode != RecurrentMode.Lstm && initialCell is not null)
        {
            throw new ArgumentException($"{mode} has no cell state; pass initialCell only for LSTM.", nameof(initialCell));
        }

        if (mode == RecurrentMode.Lstm && (initialHidden is null) != (initialCell is null))
        {
            throw new ArgumentException(
                "An LSTM initial state needs both initialHidden and initialCell, or neither.",
                initialHidden is null ? nameof(initialHidden) : nameof(initialCell));
        }

        bool kernelDropout = dropout > 0 && training && layers > 1;
        if (backend == RecurrentBackend.SequenceGemm && (mode != RecurrentMode.Lstm || kernelDropout))
        {
            throw new ArgumentException(
                $"The sequence-GEMM kernel computes LSTM without in-kernel dropout; got {mode} with dropout {dropout}. " +
                "Use RecurrentBackend.LibTorch, or run layer by layer with dropout between layers.", nameof(backend));
        }

        // Auto: the shim's kernel for LSTM on the CPU; it matched or beat at::lstm on dense batches in most runs and is
        // 1.5x faster on packed ones (docs/recurrent-layers.md).
        bool sequenceGemm = backend == RecurrentBackend.SequenceGemm ||
            (backend == RecurrentBackend.Auto && mode == RecurrentMode.Lstm && !kernelDropout && input.Device.Type == DeviceType.Cpu);
        using var lease = new HandleLease();
        IntPtr[] pointers = lease.AddAll(weights);
        IntPtr sizes = lease.Add(batchSizes);
        IntPtr h0 = lease.Add(initialHidden);
        IntPtr c0 = lease.Add(initialCell);
        int bi = bidirectional ? 1 : 0, bf = batchFirst ? 1 : 0, bias = hasBiases ? 1 : 0, train = training ? 1 : 0;
        int status;
        IntPtr output, hN, cN = IntPtr.Zero;
        string export;
        fixed (IntPtr* w = pointers)
        {
            switch (mode)
            {
                case RecurrentMode.Lstm when sequenceGemm:
                    export = "mls_rnn_lstm_sequence_gemm";
                    status = NativeMethods.mls_rnn_lstm_sequence_gemm(input.Handle, sizes, h0, c0, w, pointers.Length, bias, layers,
                        bi, bf, out output, out hN, out cN);
                    break;
                case RecurrentMode.Lstm:
                    export = "mls_rnn_lstm";
                    status = NativeMethods.mls_rnn_lstm(input.Handle, sizes, h0, c0, w, pointers.Length, bias, layers, dropout,
                        train, bi, bf, out output, out hN, out cN);
                    break;
                case RecurrentMode.Gru:
                    export = "mls_rnn_gru";
                    status = NativeMethods.mls_rnn_gru(input.Handle, sizes, h0, w, pointers.Length, bias, layers, dropout, train,
                        bi, bf, out output, out hN);
                    break;
                case RecurrentMode.RnnTanh:
                    export = "mls_rnn_tanh";
                    status = NativeMethods.mls_rnn_tanh(input.Handle, sizes, h0, w, pointers.Length, bias, layers, dropout, train,
                        bi, bf, out output, out hN);
                    break;
                case RecurrentMode.RnnRelu:
                    export = "mls_rnn_relu";
                    status = NativeMethods.mls_rnn_relu(input.Handle, sizes, h0, w, pointers.Length, bias, layers, dropout, train,
                        bi, bf, out output, out hN);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown recurrent mode.");
            }
        }

        NativeError.Check(status, export);
        return new RecurrentKernelOutput(Tensor.Wrap(status, output, export), Tensor.Wrap(status, hN, export),
            mode == RecurrentMode.Lstm ? Tensor.Wrap(status, cN, export) : null);
    }

    /// <summary>Packs a padded batch whose rows are sorted by descending length.</summary>
    /// <param name="input">[B, T, F] (batch-first) or [T, B, F].</param>
    /// <param name="lengths">CPU int64 [B], descending, every entry ≥ 1.</param>
    /// <param name="batchFirst">Layout of <paramref name="input"/>.</param>
    /// <returns>Packed data and batch sizes.</returns>
    public static PackedSequenceData PackPadded(Tensor input, Tensor lengths, bool batchFirst = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lengths);
        int status = NativeMethods.mls_rnn_pack_padded(input.Handle, lengths.Handle, batchFirst ? 1 : 0, out IntPtr data,
            out IntPtr sizes);
        return new PackedSequenceData(Tensor.Wrap(status, data, "mls_rnn_pack_padded"), Tensor.Wrap(status, sizes, "mls_rnn_pack_padded"));
    }

    /// <summary>Restores packed data to a padded batch (rows in the packed, length-sorted order).</summary>
    /// <param name="data">Packed data [Σ lengths, F].</param>
    /// <param name="batchSizes">Batch sizes from <see cref="PackPadded"/>.</param>
    /// <param name="batchFirst">Produce [B, T, F] (true) or [T, B, F].</param>
    /// <param name="paddingValue">Value for steps past a sequence's end. Default: 0.</param>
    /// <param name="totalLength">Pad to this many steps, or null for the longest sequence.</param>
    /// <returns>The padded batch and the lengths.</returns>
    public static PaddedSequenceData PadPacked(Tensor data, Tensor batchSizes, bool batchFirst = true, double paddingValue = 0,
        long? totalLength = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batchSizes);
        int status = NativeMethods.mls_rnn_pad_packed(data.Handle, batchSizes.Handle, batchFirst ? 1 : 0, paddingValue,
            totalLength ?? -1, out IntPtr output, out IntPtr lengths);
        return new PaddedSequenceData(Tensor.Wrap(status, output, "mls_rnn_pad_packed"), Tensor.Wrap(status, lengths, "mls_rnn_pad_packed"));
    }
}
