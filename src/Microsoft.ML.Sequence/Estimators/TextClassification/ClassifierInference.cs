using Microsoft.ML.Sequence.Data.Batching;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Batched scoring: the network in evaluation mode, without gradients, over rows sorted by length and cut into
/// batches, results back in the caller's order.</summary>
internal static class ClassifierInference
{
    /// <summary>Probabilities [row][class] and, when the network pools by attention and <paramref name="withWeights"/>,
    /// the weights per token [row][token].</summary>
    public static (float[][] Scores, float[][]? Weights) Predict(TextClassifierNetwork network, IReadOnlyList<long[]> sequences,
        int batchSize, Device device, bool withWeights)
    {
        var scores = new float[sequences.Count][];
        float[][]? weights = withWeights ? new float[sequences.Count][] : null;
        int[] order = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ToArray();
        bool wasTraining = network.training;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int[] rows = order[start..Math.Min(order.Length, start + batchSize)];
                using var scope = NewDisposeScope();
                PaddedKeyBatch batch = PaddedKeyBatch.Create(sequences, rows);
                long[] lengths = batch.Lengths.ToArray();
                (Tensor logits, Tensor? attention) = network.call(batch.KeysToTensor(device), lengths);
                Tensor probabilities = logits.softmax(-1).cpu().contiguous();
                int classes = (int)probabilities.shape[1];
                float[] flat = probabilities.data<float>().ToArray();
                float[]? flatWeights = weights is not null && attention is not null ? attention.cpu().contiguous().data<float>().ToArray() : null;
                for (int i = 0; i < rows.Length; i++)
                {
                    scores[rows[i]] = flat.AsSpan(i * classes, classes).ToArray();
                    if (flatWeights is not null)
                    {
                        weights![rows[i]] = flatWeights.AsSpan(i * batch.MaxLength, (int)lengths[i]).ToArray();
                    }
                }
            }
        }
        finally
        {
            network.train(wasTraining);
        }

        return (scores, weights);
    }
}
