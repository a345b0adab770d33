using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Sequence.Tests.Platform.TorchSharpOps;

/// <summary>Gradient checks of TorchSharp's losses (<c>nn.functional</c>), ported from the deleted binding's
/// LossGradientTests.</summary>
[TestClass]
public sealed class LossGradientTests
{
    private static GradientInput Input(int seed, params long[] shape) => GradientInput.Of(RandomValues.Uniform(seed, shape, -2, 2), shape);

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    [DataRow(Reduction.None)]
    public void CrossEntropyWithClassWeightsAndLabelSmoothing(Reduction reduction)
    {
        long[] target = [2, 0, 1, 2];
        double[] classWeights = [0.5, 2.0, 1.3];
        GradientChecker.Check($"cross_entropy {reduction}", x => functional.cross_entropy(x[0], torch.tensor(target),
                torch.tensor(classWeights), reduction: reduction, label_smoothing: 0.1),
            Input(81, 4, 3));
        GradientChecker.Check($"cross_entropy {reduction} with ignored target", x => functional.cross_entropy(x[0],
                torch.tensor(new long[] { 2, -100, 1, 0 }), reduction: reduction),
            Input(82, 4, 3));
    }

    [TestMethod]
    public void NllLoss()
    {
        long[] target = [1, 0, 2];
        GradientChecker.Check("nll_loss weighted", x => functional.nll_loss(x[0], torch.tensor(target),
            torch.tensor(new double[] { 1.5, 0.5, 1 })), Input(83, 3, 3));
        GradientChecker.Check("nll_loss of log_softmax, sum", x => functional.nll_loss(x[0].log_softmax(1), torch.tensor(target),
            reduction: Reduction.Sum), Input(84, 3, 3));
    }

    [TestMethod]
    [DataRow(Reduction.Mean)]
    [DataRow(Reduction.Sum)]
    public void CtcLossThroughLogSoftmax(Reduction reduction)
    {
        // libtorch's CTC backward returns a gradient that is only right for normalized log-probabilities (it folds in
        // the log-softmax Jacobian), so the check goes through log_softmax from raw logits, as every caller does.
        GradientChecker.Check($"ctc_loss {reduction}", x => functional.ctc_loss(x[0].log_softmax(2),
                torch.tensor(new long[] { 1, 2, 2, 3, 1, 0 }, new long[] { 2, 3 }), torch.tensor(new long[] { 5, 4 }),
                torch.tensor(new long[] { 3, 2 }), reduction: reduction),
            Input(85, 5, 2, 4));
    }

    [TestMethod]
    public void MeanSquaredError()
    {
        GradientChecker.Check("mse_loss mean", x => functional.mse_loss(x[0], x[1]), Input(86, 2, 3), Input(87, 2, 3));
        GradientChecker.Check("mse_loss none", x => functional.mse_loss(x[0], x[1], Reduction.None), Input(86, 2, 3),
            Input(87, 2, 3));
    }

    [TestMethod]
    public void BinaryCrossEntropyWithLogits()
    {
        GradientInput targets = GradientInput.Of(RandomValues.Uniform(88, [2, 3], 0, 1), 2, 3);
        GradientChecker.Check("binary_cross_entropy_with_logits", x => functional.binary_cross_entropy_with_logits(x[0], x[1]),
            Input(89, 2, 3), targets);
        GradientChecker.Check("binary_cross_entropy_with_logits, pos_weight, sum", x => functional.binary_cross_entropy_with_logits(
            x[0], x[1], reduction: Reduction.Sum, pos_weights: torch.tensor(new double[] { 0.5, 2, 3 })), Input(89, 2, 3), targets);
    }
}
