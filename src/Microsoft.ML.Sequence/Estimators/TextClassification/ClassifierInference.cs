using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Batched scoring: the network in evaluation mode, without gradients, over rows sorted by length and cut into
/// batches, results back in the caller's order.</summary>
internal static class ClassifierInference
{
    /// <summary>Probabilities [row][class] and, when the network pools by attention and <paramref name="withWeights"/>,
    /// the weights per token [row][token].</summary>
    public static ClassifierPrediction[] Predict(TextClassifierNetwork network, IReadOnlyList<long[]> sequences,
        int batchSize, Device device, bool withWeights)
    {
        var predictions = new ClassifierPrediction[sequences.Count];
        LengthSortedInference.Run(network, sequences.Count, i => sequences[i].Length, batchSize, rows =>
        {
            PaddedKeyBatch batch = PaddedKeyBatch.Create(sequences, rows);
            long[] lengths = batch.Lengths.ToArray();
            (Tensor logits, Tensor? attention) = network.call(batch.KeysToTensor(device), lengths);
            Tensor probabilities = logits.softmax(-1);
            int classes = (int)probabilities.shape[1];
            float[] flat = TensorValues.ToArray<float>(probabilities);
            float[] flatLogits = TensorValues.ToArray<float>(logits);
            float[]? flatWeights = withWeights && attention is not null ? TensorValues.ToArray<float>(attention) : null;
            for (int i = 0; i < rows.Length; i++)
            {
                float margin = classes == 2 ? flatLogits[(i * 2) + 1] - flatLogits[i * 2] : float.NaN;
                float[]? weights = flatWeights?.AsSpan(i * batch.MaxLength, (int)lengths[i]).ToArray();
                predictions[rows[i]] = new ClassifierPrediction(flat.AsSpan(i * classes, classes).ToArray(), margin, weights);
            }
        });

        return predictions;
    }
}

/// <summary>One row's prediction.</summary>
/// <param name="Probabilities">The class probabilities in key order, summing to 1.</param>
/// <param name="Margin">Two-class models: logit(true) − logit(false), the binary <c>Score</c>; NaN otherwise.</param>
/// <param name="AttentionWeights">Attention pooling's weight per token, or null.</param>
internal sealed record ClassifierPrediction(float[] Probabilities, float Margin, float[]? AttentionWeights);
