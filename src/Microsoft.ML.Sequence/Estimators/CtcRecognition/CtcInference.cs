using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Batched scoring: the network in evaluation mode, without gradients, over rows sorted by length; each row's
/// log-softmax frame scores (its real frames only, frames × classes, row-major) come back in the caller's order.</summary>
internal static class CtcInference
{
    /// <summary>Frame log-probabilities of every sample and, when <paramref name="targets"/> is given, the sum of the
    /// rows' CTC losses (each divided by its target length, as <c>reduction: Mean</c> does; infinite ones count 0).</summary>
    public static (float[][] LogProbabilities, double LossSum) Predict(CtcRecognizerNetwork network, IReadOnlyList<CtcSample> samples,
        int size, int batchSize, Device device, IReadOnlyList<long[]>? targets = null)
    {
        var result = new float[samples.Count][];
        double lossSum = 0;
        LengthSortedInference.Run(network, samples.Count, i => samples[i].Length, batchSize, rows =>
        {
            (Tensor input, long[] lengths) = CtcTensors.Build(samples, rows, network.Kind, size, device);
            Tensor logProbabilities = network.call(input, lengths).log_softmax(-1);
            long[] frames = lengths.Select(l => Math.Clamp(network.OutputLength(l), 1, logProbabilities.shape[1])).ToArray();
            if (targets is not null)
            {
                lossSum += CtcLoss.Compute(logProbabilities, frames, rows.Select(r => targets[r]).ToArray(), TorchSharp.torch.nn.Reduction.Sum).ToDouble();
            }

            int classes = (int)logProbabilities.shape[2];
            long steps = logProbabilities.shape[1];
            float[] flat = TensorValues.ToArray<float>(logProbabilities);
            for (int i = 0; i < rows.Length; i++)
            {
                result[rows[i]] = flat.AsSpan((int)(i * steps * classes), (int)(frames[i] * classes)).ToArray();
            }
        });

        return (result, lossSum);
    }
}
