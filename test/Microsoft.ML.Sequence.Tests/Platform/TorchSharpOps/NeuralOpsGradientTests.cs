using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Gradient checks of the neural-network functions we take from TorchSharp (<c>nn.functional</c>,
/// <c>nn.Embedding</c>) and of our <see cref="SeededDropout"/>, ported from the deleted binding's NeuralOpsGradientTests.</summary>
[TestClass]
public sealed class NeuralOpsGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape), shape);

    [TestMethod]
    public void Linear()
    {
        GradientChecker.Check("linear with bias", x => functional.linear(x[0], x[1], x[2]),
            Input(51, 2, 3, 4), Input(52, 5, 4), Input(53, 5));
        GradientChecker.Check("linear without bias", x => functional.linear(x[0], x[1]), Input(51, 3, 4), Input(52, 2, 4));
    }

    [TestMethod]
    public void EmbeddingWithRespectToWeight()
    {
        // TorchSharp has no functional embedding: the module's weight is checked as a parameter (the checker perturbs
        // it in place), as our layers hold it.
        long[] indices = [1, 3, 1, 0, 4, 3];
        using Embedding embedding = nn.Embedding(5, 3, dtype: ScalarType.Float64);
        Initialization.Assign(embedding.weight!, torch.tensor(RandomValues.Uniform(54, [5, 3]), new long[] { 5, 3 }, ScalarType.Float64));
        GradientChecker.Check("nn.Embedding", _ => embedding.forward(torch.tensor(indices, new long[] { 2, 3 })),
            new[] { embedding.weight! });
    }

    [TestMethod]
    public void LayerNormWithRespectToInputWeightAndBias()
    {
        GradientChecker.Check("layer_norm [4]", x => functional.layer_norm(x[0], new long[] { 4 }, x[1], x[2]),
            Input(55, 2, 3, 4), Input(56, 4), Input(57, 4));
        GradientChecker.Check("layer_norm [3, 4] without affine", x => functional.layer_norm(x[0], new long[] { 3, 4 }),
            Input(55, 2, 3, 4));
    }

    [TestMethod]
    public void BatchNormTraining()
    {
        GradientChecker.Check("batch_norm training", x => functional.batch_norm(x[0], null, null, x[1], x[2], training: true),
            Input(58, 4, 3), Input(59, 3), Input(60, 3));
        // With running statistics (fresh per evaluation, as they are updated in place) over [N, C, L].
        GradientChecker.Check("batch_norm training with running stats",
            x => functional.batch_norm(x[0], torch.zeros(3, ScalarType.Float64), torch.ones(3, ScalarType.Float64), x[1], x[2],
                training: true),
            Input(61, 2, 3, 2), Input(59, 3), Input(60, 3));
    }

    [TestMethod]
    public void Conv1dAndConv2d()
    {
        GradientChecker.Check("conv1d", x => functional.conv1d(x[0], x[1], x[2], stride: 1, padding: 1),
            Input(62, 2, 2, 5), Input(63, 3, 2, 3), Input(64, 3));
        GradientChecker.Check("conv1d stride 2 dilation 2 groups 2", x => functional.conv1d(x[0], x[1], null, stride: 2,
            dilation: 2, groups: 2), Input(62, 1, 4, 7), Input(65, 2, 2, 2));
        GradientChecker.Check("conv2d", x => functional.conv2d(x[0], x[1], x[2], strides: new long[] { 1, 2 },
            padding: new long[] { 1, 0 }), Input(66, 1, 2, 4, 5), Input(67, 2, 2, 2, 3), Input(68, 2));
    }

    [TestMethod]
    public void MaxPool()
    {
        GradientChecker.Check("max_pool1d", x => functional.max_pool1d(x[0], 2),
            GradientInput.Of(RandomValues.Distinct(69, [2, 2, 6]), 2, 2, 6));
        GradientChecker.Check("max_pool1d overlapping, padded", x => functional.max_pool1d(x[0], 3, stride: 2, padding: 1),
            GradientInput.Of(RandomValues.Distinct(70, [1, 2, 7]), 1, 2, 7));
        GradientChecker.Check("max_pool2d", x => functional.max_pool2d(x[0], new long[] { 2, 2 }),
            GradientInput.Of(RandomValues.Distinct(71, [1, 2, 4, 4]), 1, 2, 4, 4));
        GradientChecker.Check("max_pool2d ceil mode", x => functional.max_pool2d(x[0], new long[] { 2, 3 }, strides: new long[] { 2, 2 },
                ceil_mode: true),
            GradientInput.Of(RandomValues.Distinct(72, [1, 1, 5, 5]), 1, 1, 5, 5));
    }

    [TestMethod]
    public void AdaptiveAvgPool()
    {
        GradientChecker.Check("adaptive_avg_pool1d 5 -> 3", x => functional.adaptive_avg_pool1d(x[0], 3), Input(73, 2, 2, 5));
        GradientChecker.Check("adaptive_avg_pool2d 5x4 -> 2x3", x => functional.adaptive_avg_pool2d(x[0], new long[] { 2, 3 }),
            Input(74, 1, 2, 5, 4));
    }

    [TestMethod]
    public void DropoutWithFixedMask()
    {
        // Our layers' dropout (TorchSharp's uses the global RNG): a fresh generator with the same seed for every
        // evaluation draws the same mask each time, so the function is fixed.
        GradientChecker.Check("SeededDropout p 0.4", x =>
        {
            using var generator = new Generator(99);
            return SeededDropout.Apply(x[0], 0.4, training: true, generator);
        }, Input(75, 4, 5));
        GradientChecker.Check("SeededDropout in evaluation", x => SeededDropout.Apply(x[0], 0.4, training: false, null), Input(75, 4, 5));
        GradientChecker.Check("functional.dropout in evaluation", x => functional.dropout(x[0], 0.4, training: false), Input(75, 4, 5));
    }
}
