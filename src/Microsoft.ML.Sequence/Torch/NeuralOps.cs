using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>Neural-network operations over tensors: linear maps, embeddings, dropout, normalisation, convolution,
/// pooling. Stateless; the modules in <c>Microsoft.ML.Sequence.Modules</c> hold the weights.</summary>
public static class NeuralOps
{
    /// <summary>input · weightᵀ + bias.</summary>
    /// <param name="input">[…, in].</param>
    /// <param name="weight">[out, in].</param>
    /// <param name="bias">[out] or null.</param>
    /// <returns>[…, out].</returns>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var lease = new HandleLease();
        int status = NativeMethods.mls_nn_linear(input.Handle, weight.Handle, lease.Add(bias), out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_linear");
    }

    /// <summary>Looks up rows of <paramref name="weight"/>.</summary>
    /// <param name="weight">[rows, dim] embedding table.</param>
    /// <param name="indices">int64 row indices of any shape.</param>
    /// <param name="paddingIndex">Row that receives no gradient (PAD), or null. Default: null.</param>
    /// <returns>[indices shape…, dim].</returns>
    public static Tensor Embedding(Tensor weight, Tensor indices, long? paddingIndex = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(indices);
        int status = NativeMethods.mls_nn_embedding(weight.Handle, indices.Handle, paddingIndex ?? -1, out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_embedding");
    }

    /// <summary>Inverted dropout: zeroes each element with probability <paramref name="p"/> and scales the rest by
    /// 1 / (1 − p); the identity when <paramref name="training"/> is false or p is 0.</summary>
    /// <param name="input">Input.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="training">Apply dropout (training) or pass through (evaluation).</param>
    /// <param name="generator">Source of the mask; null uses libtorch's global generator.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Dropout(Tensor input, double p, bool training, RandomGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p < 0 || p >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        }

        int status = NativeMethods.mls_nn_dropout(input.Handle, p, training ? 1 : 0, RandomGenerator.RawOrZero(generator), out IntPtr raw);
        GC.KeepAlive(generator);
        return Tensor.Wrap(status, raw, "mls_nn_dropout");
    }

    /// <summary>Layer normalisation over the last dimensions given by <paramref name="normalizedShape"/>.</summary>
    /// <param name="input">Input.</param>
    /// <param name="normalizedShape">Sizes of the trailing dimensions to normalise.</param>
    /// <param name="weight">Elementwise gain or null.</param>
    /// <param name="bias">Elementwise bias or null.</param>
    /// <param name="eps">Added to the variance. Default: 1e-5.</param>
    /// <returns>A new tensor.</returns>
    public static unsafe Tensor LayerNorm(Tensor input, ReadOnlySpan<long> normalizedShape, Tensor? weight = null,
        Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var lease = new HandleLease();
        fixed (long* s = normalizedShape)
        {
            int status = NativeMethods.mls_nn_layer_norm(input.Handle, s, normalizedShape.Length, lease.Add(weight),
                lease.Add(bias), eps, out IntPtr raw);
            return Tensor.Wrap(status, raw, "mls_nn_layer_norm");
        }
    }

    /// <summary>Batch normalisation over dimension 1 of [N, C, …].</summary>
    /// <param name="input">[N, C, …].</param>
    /// <param name="runningMean">[C] running mean, updated in training; or null.</param>
    /// <param name="runningVar">[C] running variance, updated in training; or null.</param>
    /// <param name="weight">[C] gain or null.</param>
    /// <param name="bias">[C] bias or null.</param>
    /// <param name="training">Use batch statistics (and update the running ones).</param>
    /// <param name="momentum">Running-statistics update rate. Default: 0.1.</param>
    /// <param name="eps">Added to the variance. Default: 1e-5.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var lease = new HandleLease();
        int status = NativeMethods.mls_nn_batch_norm(input.Handle, lease.Add(weight), lease.Add(bias), lease.Add(runningMean),
            lease.Add(runningVar), training ? 1 : 0, momentum, eps, out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_batch_norm");
    }

    /// <summary>1-D convolution of [N, C_in, L] with weight [C_out, C_in / groups, K].</summary>
    /// <param name="input">[N, C_in, L].</param>
    /// <param name="weight">[C_out, C_in / groups, K].</param>
    /// <param name="bias">[C_out] or null.</param>
    /// <param name="stride">Stride. Default: 1.</param>
    /// <param name="padding">Zero padding on both sides. Default: 0.</param>
    /// <param name="dilation">Dilation. Default: 1.</param>
    /// <param name="groups">Groups. Default: 1.</param>
    /// <returns>[N, C_out, L_out].</returns>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1) => Conv(input, weight, bias, [stride], [padding], [dilation], groups);

    /// <summary>2-D convolution of [N, C_in, H, W] with weight [C_out, C_in / groups, kH, kW].</summary>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in / groups, kH, kW].</param>
    /// <param name="bias">[C_out] or null.</param>
    /// <param name="stride">Stride (height, width). Default: (1, 1).</param>
    /// <param name="padding">Zero padding (height, width). Default: (0, 0).</param>
    /// <param name="dilation">Dilation (height, width). Default: (1, 1).</param>
    /// <param name="groups">Groups. Default: 1.</param>
    /// <returns>[N, C_out, H_out, W_out].</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long, long)? stride = null,
        (long, long)? padding = null, (long, long)? dilation = null, long groups = 1)
    {
        (long sh, long sw) = stride ?? (1, 1);
        (long ph, long pw) = padding ?? (0, 0);
        (long dh, long dw) = dilation ?? (1, 1);
        return Conv(input, weight, bias, [sh, sw], [ph, pw], [dh, dw], groups);
    }

    /// <summary>1-D max pooling of [N, C, L].</summary>
    /// <param name="input">[N, C, L].</param>
    /// <param name="kernel">Window size.</param>
    /// <param name="stride">Stride, or null for the window size.</param>
    /// <param name="padding">Implicit −∞ padding. Default: 0.</param>
    /// <param name="ceilMode">Round the output length up. Default: false.</param>
    /// <returns>[N, C, L_out].</returns>
    public static Tensor MaxPool1d(Tensor input, long kernel, long? stride = null, long padding = 0, bool ceilMode = false) =>
        MaxPool(input, [kernel], [stride ?? kernel], [padding], [1], ceilMode);

    /// <summary>2-D max pooling of [N, C, H, W].</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="kernel">Window (height, width).</param>
    /// <param name="stride">Stride, or null for the window size.</param>
    /// <param name="padding">Implicit −∞ padding. Default: (0, 0).</param>
    /// <param name="ceilMode">Round the output size up. Default: false.</param>
    /// <returns>[N, C, H_out, W_out].</returns>
    public static Tensor MaxPool2d(Tensor input, (long, long) kernel, (long, long)? stride = null, (long, long)? padding = null,
        bool ceilMode = false)
    {
        (long sh, long sw) = stride ?? kernel;
        (long ph, long pw) = padding ?? (0, 0);
        return MaxPool(input, [kernel.Item1, kernel.Item2], [sh, sw], [ph, pw], [1, 1], ceilMode);
    }

    /// <summary>1-D adaptive average pooling of [N, C, L] to a fixed output length.</summary>
    /// <param name="input">[N, C, L].</param>
    /// <param name="outputSize">Output length.</param>
    /// <returns>[N, C, outputSize].</returns>
    public static Tensor AdaptiveAvgPool1d(Tensor input, long outputSize) => AdaptiveAvgPool(input, [outputSize]);

    /// <summary>2-D adaptive average pooling of [N, C, H, W] to a fixed output size.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="outputSize">Output (height, width).</param>
    /// <returns>[N, C, height, width].</returns>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (long, long) outputSize) =>
        AdaptiveAvgPool(input, [outputSize.Item1, outputSize.Item2]);

    private static unsafe Tensor Conv(Tensor input, Tensor weight, Tensor? bias, ReadOnlySpan<long> stride,
        ReadOnlySpan<long> padding, ReadOnlySpan<long> dilation, long groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var lease = new HandleLease();
        fixed (long* s = stride)
        fixed (long* p = padding)
        fixed (long* d = dilation)
        {
            int status = NativeMethods.mls_nn_conv(input.Handle, weight.Handle, lease.Add(bias), s, p, d, stride.Length, groups,
                out IntPtr raw);
            return Tensor.Wrap(status, raw, "mls_nn_conv");
        }
    }

    private static unsafe Tensor MaxPool(Tensor input, ReadOnlySpan<long> kernel, ReadOnlySpan<long> stride,
        ReadOnlySpan<long> padding, ReadOnlySpan<long> dilation, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(input);
        fixed (long* k = kernel)
        fixed (long* s = stride)
        fixed (long* p = padding)
        fixed (long* d = dilation)
        {
            int status = NativeMethods.mls_nn_max_pool(input.Handle, k, s, p, d, kernel.Length, ceilMode ? 1 : 0, out IntPtr raw);
            return Tensor.Wrap(status, raw, "mls_nn_max_pool");
        }
    }

    private static unsafe Tensor AdaptiveAvgPool(Tensor input, ReadOnlySpan<long> outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        fixed (long* o = outputSize)
        {
            int status = NativeMethods.mls_nn_adaptive_avg_pool(input.Handle, o, outputSize.Length, out IntPtr raw);
            return Tensor.Wrap(status, raw, "mls_nn_adaptive_avg_pool");
        }
    }
}
