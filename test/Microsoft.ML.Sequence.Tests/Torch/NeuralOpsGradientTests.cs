using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Gradient checks of <see cref="NeuralOps"/>.</summary>
[TestClass]
public sealed class NeuralOpsGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape), shape);

    [TestMethod]
    public void Linear()
    {
        GradientChecker.Check("Linear with bias", x => NeuralOps.Linear(x[0], x[1], x[2]),
            Input(51, 2, 3, 4), Input(52, 5, 4), Input(53, 5));
        GradientChecker.Check("Linear without bias", x => NeuralOps.Linear(x[0], x[1]), Input(51, 3, 4), Input(52, 2, 4));
    }

    [TestMethod]
    public void EmbeddingWithRespectToWeight()
    {
        long[] indices = [1, 3, 1, 0, 4, 3];
        GradientChecker.Check("Embedding", x => NeuralOps.Embedding(x[0], Tensor.From<long>(indices, [2, 3])), Input(54, 5, 3));
    }

    [TestMethod]
    public void LayerNormWithRespectToInputWeightAndBias()
    {
        GradientChecker.Check("LayerNorm [4]", x => NeuralOps.LayerNorm(x[0], [4], x[1], x[2]),
            Input(55, 2, 3, 4), Input(56, 4), Input(57, 4));
        GradientChecker.Check("LayerNorm [3, 4] without affine", x => NeuralOps.LayerNorm(x[0], [3, 4]), Input(55, 2, 3, 4));
    }

    [TestMethod]
    public void BatchNormTraining()
    {
        GradientChecker.Check("BatchNorm training", x => NeuralOps.BatchNorm(x[0], null, null, x[1], x[2], training: true),
            Input(58, 4, 3), Input(59, 3), Input(60, 3));
        // With running statistics (fresh per evaluation, as they are updated in place) over [N, C, L].
        GradientChecker.Check("BatchNorm training with running stats",
            x => NeuralOps.BatchNorm(x[0], Tensor.Zeros([3], DType.Float64), Tensor.Ones([3], DType.Float64), x[1], x[2],
                training: true),
            Input(61, 2, 3, 2), Input(59, 3), Input(60, 3));
    }

    [TestMethod]
    public void Conv1dAndConv2d()
    {
        GradientChecker.Check("Conv1d", x => NeuralOps.Conv1d(x[0], x[1], x[2], stride: 1, padding: 1),
            Input(62, 2, 2, 5), Input(63, 3, 2, 3), Input(64, 3));
        GradientChecker.Check("Conv1d stride 2 dilation 2 groups 2", x => NeuralOps.Conv1d(x[0], x[1], null, stride: 2,
            dilation: 2, groups: 2), Input(62, 1, 4, 7), Input(65, 2, 2, 2));
        GradientChecker.Check("Conv2d", x => NeuralOps.Conv2d(x[0], x[1], x[2], stride: (1, 2), padding: (1, 0)),
            Input(66, 1, 2, 4, 5), Input(67, 2, 2, 2, 3), Input(68, 2));
    }

    [TestMethod]
    public void MaxPool()
    {
        GradientChecker.Check("MaxPool1d", x => NeuralOps.MaxPool1d(x[0], 2),
            GradientInput.Of(RandomValues.Distinct(69, [2, 2, 6]), 2, 2, 6));
        GradientChecker.Check("MaxPool1d overlapping, padded", x => NeuralOps.MaxPool1d(x[0], 3, stride: 2, padding: 1),
            GradientInput.Of(RandomValues.Distinct(70, [1, 2, 7]), 1, 2, 7));
        GradientChecker.Check("MaxPool2d", x => NeuralOps.MaxPool2d(x[0], (2, 2)),
            GradientInput.Of(RandomValues.Distinct(71, [1, 2, 4, 4]), 1, 2, 4, 4));
        GradientChecker.Check("MaxPool2d ceil mode", x => NeuralOps.MaxPool2d(x[0], (2, 3), stride: (2, 2), ceilMode: true),
            GradientInput.Of(RandomValues.Distinct(72, [1, 1, 5, 5]), 1, 1, 5, 5));
    }

    [TestMethod]
    public void AdaptiveAvgPool()
    {
        GradientChecker.Check("AdaptiveAvgPool1d 5 -> 3", x => NeuralOps.AdaptiveAvgPool1d(x[0], 3), Input(73, 2, 2, 5));
        GradientChecker.Check("AdaptiveAvgPool2d 5x4 -> 2x3", x => NeuralOps.AdaptiveAvgPool2d(x[0], (2, 3)),
            Input(74, 1, 2, 5, 4));
    }

    [TestMethod]
    public void DropoutWithFixedMask()
    {
        using var generator = new RandomGenerator(99);
        // Reseeding before every evaluation draws the same mask each time, so the function is fixed.
        GradientChecker.Check("Dropout p 0.4", x =>
        {
            generator.Reseed(99);
            return NeuralOps.Dropout(x[0], 0.4, training: true, generator);
        }, Input(75, 4, 5));
        GradientChecker.Check("Dropout in evaluation", x => NeuralOps.Dropout(x[0], 0.4, training: false), Input(75, 4, 5));
    }
}
