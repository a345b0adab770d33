using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>The scoring pass the batched predictors share: rows sorted by length (so a batch pads little) and cut into
/// batches, the network in evaluation mode without gradients, each batch in its own dispose scope, and the network's
/// training mode restored afterwards.</summary>
internal static class LengthSortedInference
{
    /// <summary>Calls <paramref name="scoreBatch"/> with the row indices of each batch, shortest rows first.</summary>
    public static void Run(nn.Module network, int rowCount, Func<int, int> lengthOf, int batchSize, Action<int[]> scoreBatch)
    {
        int[] order = Enumerable.Range(0, rowCount).OrderBy(lengthOf).ToArray();
        bool wasTraining = network.training;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                scoreBatch(order[start..Math.Min(order.Length, start + batchSize)]);
            }
        }
        finally
        {
            network.train(wasTraining);
        }
    }
}
