using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>Loss functions.</summary>
public static class Losses
{
    /// <summary>Cross-entropy between logits and class indices: −log softmax(input)[target].</summary>
    /// <param name="input">Logits [N, C] (or [N, C, d…]).</param>
    /// <param name="target">int64 class indices [N] (or [N, d…]).</param>
    /// <param name="classWeights">[C] weight per class, or null.</param>
    /// <param name="reduction">Default: mean (weighted by class weight).</param>
    /// <param name="ignoreIndex">Target value that contributes nothing (e.g. PAD). Default: −100.</param>
    /// <param name="labelSmoothing">Mass in [0, 1] spread uniformly over the classes. Default: 0.</param>
    /// <returns>The loss.</returns>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? classWeights = null,
        LossReduction reduction = LossReduction.Mean, long ignoreIndex = -100, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (labelSmoothing < 0 || labelSmoothing > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1].");
        }

        using var lease = new HandleLease();
        int status = NativeMethods.mls_nn_cross_entropy(input.Handle, target.Handle, lease.Add(classWeights), (int)reduction,
            ignoreIndex, labelSmoothing, out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_cross_entropy");
    }

    /// <summary>Negative log-likelihood of log-probabilities: −input[target].</summary>
    /// <param name="input">Log-probabilities [N, C] (or [N, C, d…]).</param>
    /// <param name="target">int64 class indices.</param>
    /// <param name="classWeights">[C] weight per class, or null.</param>
    /// <param name="reduction">Default: mean (weighted by class weight).</param>
    /// <param name="ignoreIndex">Target value that contributes nothing. Default: −100.</param>
    /// <returns>The loss.</returns>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? classWeights = null,
        LossReduction reduction = LossReduction.Mean, long ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        using var lease = new HandleLease();
        int status = NativeMethods.mls_nn_nll_loss(input.Handle, target.Handle, lease.Add(classWeights), (int)reduction,
            ignoreIndex, out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_nll_loss");
    }

    /// <summary>Connectionist temporal classification loss.</summary>
    /// <remarks>libtorch's backward pass returns the gradient with the log-softmax Jacobian already folded in, so it is
    /// correct only when <paramref name="logProbs"/> are normalized over classes (the output of
    /// <see cref="Tensor.LogSoftmax"/> or an equivalent). For unnormalized scores it differs from the true partial
    /// derivative: always apply <see cref="Tensor.LogSoftmax"/> to the logits first.</remarks>
    /// <param name="logProbs">Log-probabilities [T, N, C] (time-major, as libtorch expects), normalized over C.</param>
    /// <param name="targets">int64 targets [N, S] padded, or concatenated [sum of target lengths].</param>
    /// <param name="inputLengths">int64 [N] valid time steps per row.</param>
    /// <param name="targetLengths">int64 [N] target lengths.</param>
    /// <param name="blank">Index of the blank class. Default: 0.</param>
    /// <param name="reduction">Default: mean (each loss divided by its target length, then averaged).</param>
    /// <param name="zeroInfinity">Replace infinite losses (impossible alignments) with 0. Default: false.</param>
    /// <returns>The loss.</returns>
    public static Tensor CtcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, long blank = 0,
        LossReduction reduction = LossReduction.Mean, bool zeroInfinity = false)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(inputLengths);
        ArgumentNullException.ThrowIfNull(targetLengths);
        int status = NativeMethods.mls_nn_ctc_loss(logProbs.Handle, targets.Handle, inputLengths.Handle, targetLengths.Handle,
            blank, (int)reduction, zeroInfinity ? 1 : 0, out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_ctc_loss");
    }

    /// <summary>Squared error (input − target)².</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets of the same shape.</param>
    /// <param name="reduction">Default: mean.</param>
    /// <returns>The loss.</returns>
    public static Tensor MeanSquaredError(Tensor input, Tensor target, LossReduction reduction = LossReduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return Tensor.Wrap(NativeMethods.mls_nn_mse_loss(input.Handle, target.Handle, (int)reduction, out IntPtr raw), raw,
            "mls_nn_mse_loss");
    }

    /// <summary>Binary cross-entropy on logits, computed stably.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets in [0, 1], same shape.</param>
    /// <param name="positiveWeight">Weight of positive examples per class, or null.</param>
    /// <param name="reduction">Default: mean.</param>
    /// <returns>The loss.</returns>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? positiveWeight = null,
        LossReduction reduction = LossReduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        using var lease = new HandleLease();
        int status = NativeMethods.mls_nn_bce_with_logits(input.Handle, target.Handle, lease.Add(positiveWeight), (int)reduction,
            out IntPtr raw);
        return Tensor.Wrap(status, raw, "mls_nn_bce_with_logits");
    }
}
