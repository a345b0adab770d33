using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Gradient checks of <see cref="Losses"/>.</summary>
[TestClass]
public sealed class LossGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape, -2, 2), shape);

    [TestMethod]
    [DataRow(LossReduction.Mean)]
    [DataRow(LossReduction.Sum)]
    [DataRow(LossReduction.None)]
    public void CrossEntropyWithClassWeightsAndLabelSmoothing(LossReduction reduction)
    {
        long[] target = [2, 0, 1, 2];
        double[] classWeights = [0.5, 2.0, 1.3];
        GradientChecker.Check($"CrossEntropy {reduction}", x => Losses.CrossEntropy(x[0], Tensor.From<long>(target),
                Tensor.From<double>(classWeights), reduction, labelSmoothing: 0.1),
            Input(81, 4, 3));
        GradientChecker.Check($"CrossEntropy {reduction} with ignored target", x => Losses.CrossEntropy(x[0],
                Tensor.From<long>([2, -100, 1, 0]), reduction: reduction),
            Input(82, 4, 3));
    }

    [TestMethod]
    public void NllLoss()
    {
        long[] target = [1, 0, 2];
        GradientChecker.Check("NllLoss weighted", x => Losses.NllLoss(x[0], Tensor.From<long>(target), Tensor.From<double>([1.5, 0.5, 1])),
            Input(83, 3, 3));
        GradientChecker.Check("NllLoss of LogSoftmax, sum", x => Losses.NllLoss(x[0].LogSoftmax(1), Tensor.From<long>(target),
            reduction: LossReduction.Sum), Input(84, 3, 3));
    }

    [TestMethod]
    [DataRow(LossReduction.Mean)]
    [DataRow(LossReduction.Sum)]
    public void CtcLossThroughLogSoftmax(LossReduction reduction)
    {
        // libtorch's CTC backward returns a gradient that is only right for normalized log-probabilities (it folds in
        // the log-softmax Jacobian), so the check goes through LogSoftmax from raw logits, as every caller does.
        GradientChecker.Check($"CtcLoss {reduction}", x => Losses.CtcLoss(x[0].LogSoftmax(2),
                Tensor.From<long>([1, 2, 2, 3, 1, 0], [2, 3]), Tensor.From<long>([5, 4]), Tensor.From<long>([3, 2]),
                reduction: reduction),
            Input(85, 5, 2, 4));
    }

    [TestMethod]
    public void MeanSquaredError()
    {
        GradientChecker.Check("MSE mean", x => Losses.MeanSquaredError(x[0], x[1]), Input(86, 2, 3), Input(87, 2, 3));
        GradientChecker.Check("MSE none", x => Losses.MeanSquaredError(x[0], x[1], LossReduction.None), Input(86, 2, 3),
            Input(87, 2, 3));
    }

    [TestMethod]
    public void BinaryCrossEntropyWithLogits()
    {
        GradientInput targets = GradientInput.Of(RandomValues.Uniform(88, [2, 3], 0, 1), 2, 3);
        GradientChecker.Check("BCE with logits", x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1]), Input(89, 2, 3), targets);
        GradientChecker.Check("BCE with logits, positive weight", x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1],
            Tensor.From<double>([0.5, 2, 3]), LossReduction.Sum), Input(89, 2, 3), targets);
    }
}
