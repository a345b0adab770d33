using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>TorchSharp's CTC loss on a batch of log-softmax outputs with blank 0. Infinite losses (a row whose label
/// needs more frames than it has, counting a blank between repeated characters) are zeroed with their gradients
/// (<c>zero_infinity</c>); the trainer counts those rows up front with <see cref="IsFeasible"/>.</summary>
internal static class CtcLoss
{
    /// <summary>The loss: each row's −log p(label | frames) divided by its label length (at least 1), then averaged
    /// (<c>Mean</c>) or summed (<c>Sum</c>) over the batch.</summary>
    /// <param name="logProbabilities">[B, T, C] log-softmax scores, batch-first.</param>
    /// <param name="frames">Each row's real frames, in [1, T].</param>
    /// <param name="targets">Each row's label classes (1..C − 1).</param>
    /// <param name="reduction">Mean or Sum over the batch.</param>
    public static Tensor Compute(Tensor logProbabilities, long[] frames, IReadOnlyList<long[]> targets, nn.Reduction reduction)
    {
        Device device = logProbabilities.device;
        Tensor flatTargets = tensor(targets.SelectMany(t => t).ToArray(), ScalarType.Int64).to(device);
        Tensor inputLengths = tensor(frames, ScalarType.Int64).to(device);
        Tensor targetLengths = tensor(targets.Select(t => (long)t.Length).ToArray(), ScalarType.Int64).to(device);
        Tensor perRow = nn.functional.ctc_loss(logProbabilities.transpose(0, 1), flatTargets, inputLengths, targetLengths, blank: 0,
            zero_infinity: true, reduction: nn.Reduction.None);
        Tensor normalised = perRow / targetLengths.clamp_min(1).to(perRow.dtype);
        return reduction == nn.Reduction.Sum ? normalised.sum() : normalised.mean();
    }

    /// <summary>Whether a label of classes <paramref name="target"/> fits in <paramref name="frames"/> frames: one frame
    /// per character plus a blank between each pair of equal neighbours.</summary>
    public static bool IsFeasible(long[] target, long frames)
    {
        long needed = target.Length;
        for (int i = 1; i < target.Length; i++)
        {
            if (target[i] == target[i - 1])
            {
                needed++;
            }
        }

        return needed <= frames;
    }
}
