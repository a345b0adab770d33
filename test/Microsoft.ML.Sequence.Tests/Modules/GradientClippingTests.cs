using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

/// <summary>Global-norm clipping as the training loop applies it (<c>torch.nn.utils.clip_grad_norm_</c> over the
/// optimiser's parameters, or over each ensemble member's, between backward and step).</summary>
[TestClass]
public sealed class GradientClippingTests
{
    [TestMethod]
    public void ClipByGlobalNormScalesAllGradientsTogether()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(zeros(2, dtype: ScalarType.Float64));
        var b = new Parameter(zeros(1, dtype: ScalarType.Float64));
        var none = new Parameter(zeros(1, dtype: ScalarType.Float64));
        a.grad = tensor(new[] { 3.0, 4.0 });
        b.grad = tensor(new[] { 12.0 });

        double total = nn.utils.clip_grad_norm_([a, b, none], max_norm: 6.5);

        Assert.AreEqual(13.0, total, 1e-12); // √(9 + 16 + 144)
        double scale = 6.5 / (13.0 + 1e-6);
        double[] ga = TensorValues.ToArray<double>(a.grad!);
        Assert.AreEqual(3.0 * scale, ga[0], 1e-12);
        Assert.AreEqual(4.0 * scale, ga[1], 1e-12);
        Assert.AreEqual(12.0 * scale, b.grad!.data<double>()[0], 1e-12);
        Assert.IsNull(none.grad);
    }

    [TestMethod]
    public void ClipByGlobalNormLeavesSmallGradientsAlone()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(zeros(2, dtype: ScalarType.Float64));
        a.grad = tensor(new[] { 3.0, 4.0 });
        Assert.AreEqual(5.0, nn.utils.clip_grad_norm_([a], max_norm: 10), 1e-12);
        CollectionAssert.AreEqual(new[] { 3.0, 4.0 }, TensorValues.ToArray<double>(a.grad!));
    }

    [TestMethod]
    public void TrainingLoopClipsEveryStepToTheConfiguredNorm()
    {
        // One SGD step (lr 1, no momentum) on loss = 100·Σw: the gradient is 100 per element; clipped to norm 1 the
        // weights move by exactly 1 in norm, unclipped by 100·√n.
        Assert.AreEqual(1.0, StepDistance(clipNorm: 1), 1e-5);
        Assert.AreEqual(0.25, StepDistance(clipNorm: 0.25), 1e-5);
        Assert.AreEqual(100 * Math.Sqrt(6 + 2), StepDistance(clipNorm: 0), 1e-3);
    }

    [TestMethod]
    public void NonFiniteLossStopsTrainingWithAMessage()
    {
        using var model = Initialization.Linear(3, 2, bias: true, new Generator(1, CPU));
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var loop = new TrainingLoop<OneRowBatch> { Model = model, Optimizer = optimizer, MaxEpochs = 1, GradientClipNorm = 1 };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            loop.Run(_ => [new OneRowBatch()], _ => model.call(ones(1, 3)).sum() * double.NaN, null));
        StringAssert.Contains(error.Message, "epoch 1, step 1");
    }

    [TestMethod]
    public void EnsembleMembersAreClippedOneByOneAndReportTheirMeanLoss()
    {
        // Two one-weight members a and b, one SGD step (lr 1) on loss = 6 − 10a − b: a's gradient (norm 10) is clipped
        // to 2 on its own and b's (norm 1) is left whole, where clipping the two together scales both by 2/√101; the
        // reported loss is the members' mean, 6 / 2.
        (double a, double b, double loss) = TwoWeightStep(asMembers: true);
        Assert.AreEqual(2.0, a, 1e-6, "a: gradient 10 clipped to 2");
        Assert.AreEqual(1.0, b, 1e-6, "b: gradient 1 under the threshold, left whole");
        Assert.AreEqual(3.0, loss, 1e-12);

        (a, b, loss) = TwoWeightStep(asMembers: false);
        double scale = 2 / Math.Sqrt(101);
        Assert.AreEqual(10 * scale, a, 1e-6);
        Assert.AreEqual(scale, b, 1e-6);
        Assert.AreEqual(6.0, loss, 1e-12);
    }

    private static (double A, double B, double ReportedLoss) TwoWeightStep(bool asMembers)
    {
        using var scope = NewDisposeScope();
        using var model = new TwoWeights();
        Parameter a = model.A, b = model.B;
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var loop = new TrainingLoop<OneRowBatch>
        {
            Model = model, Optimizer = optimizer, MaxEpochs = 1, GradientClipNorm = 2, Members = asMembers ? [[a], [b]] : null,
        };
        TrainingHistory history = loop.Run(_ => [new OneRowBatch()], _ => 6 - (10 * a.sum()) - b.sum(), null);
        return (a.ToDouble(), b.ToDouble(), history.Epochs.Single().TrainingLoss);
    }

    private static double StepDistance(double clipNorm)
    {
        using var scope = NewDisposeScope();
        using var model = Initialization.Linear(3, 2, bias: true, new Generator(1, CPU));
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        Tensor before = cat(model.parameters().Select(p => p.detach().clone().flatten()).ToList(), 0);
        var loop = new TrainingLoop<OneRowBatch> { Model = model, Optimizer = optimizer, MaxEpochs = 1, GradientClipNorm = clipNorm };
        TrainingHistory history = loop.Run(_ => [new OneRowBatch()], _ => model.parameters().Select(p => p.sum()).Aggregate((x, y) => x + y) * 100, null);
        Assert.HasCount(1, history.Epochs);
        Tensor after = cat(model.parameters().Select(p => p.detach().flatten()).ToList(), 0);
        return (after - before).norm().ToDouble();
    }

    private sealed class TwoWeights : nn.Module
    {
        public TwoWeights()
            : base(nameof(TwoWeights))
        {
            A = new Parameter(zeros(1, dtype: ScalarType.Float64));
            B = new Parameter(zeros(1, dtype: ScalarType.Float64));
            register_parameter("a", A);
            register_parameter("b", B);
        }

        public Parameter A { get; }

        public Parameter B { get; }
    }
}
