using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Estimators.Training;

/// <summary><see cref="TrainingLoop{TBatch}.Members"/> on two one-weight members a and b, one SGD step (lr 1) on
/// loss = 6 − 10a − b: a's gradient (norm 10) is clipped to 2 on its own and b's (norm 1) is left whole, where clipping
/// the two together would scale both by 2/√101; the reported loss is the members' mean, 6 / 2.</summary>
[TestClass]
public sealed class MemberClippingTests
{
    [TestMethod]
    public void EachMemberIsClippedOnItsOwnAndReportsShowTheMembersMeanLoss()
    {
        using var model = new TwoWeights();
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var loop = new TrainingLoop<Batch>
        {
            Model = model, Optimizer = optimizer, MaxEpochs = 1, GradientClipNorm = 2, Members = [[model.A], [model.B]],
        };

        TrainingHistory history = loop.Run(_ => [new Batch()], _ => 6 - (10 * model.A.sum()) - model.B.sum(), null);

        Assert.AreEqual(2.0, model.A.ToDouble(), 1e-6, "a: gradient 10 clipped to 2");
        Assert.AreEqual(1.0, model.B.ToDouble(), 1e-6, "b: gradient 1 under the threshold, left whole");
        Assert.AreEqual(3.0, history.Epochs.Single().TrainingLoss, 1e-12);
    }

    [TestMethod]
    public void WithoutMembersTheModelIsClippedAsAWhole()
    {
        using var model = new TwoWeights();
        using optim.Optimizer optimizer = optim.SGD(model.parameters(), 1.0);
        var loop = new TrainingLoop<Batch> { Model = model, Optimizer = optimizer, MaxEpochs = 1, GradientClipNorm = 2 };

        TrainingHistory history = loop.Run(_ => [new Batch()], _ => 6 - (10 * model.A.sum()) - model.B.sum(), null);

        double scale = 2 / Math.Sqrt(101);
        Assert.AreEqual(10 * scale, model.A.ToDouble(), 1e-6);
        Assert.AreEqual(scale, model.B.ToDouble(), 1e-6);
        Assert.AreEqual(6.0, history.Epochs.Single().TrainingLoss, 1e-12);
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

    private sealed class Batch : ITrainingBatch
    {
        public int RowCount => 1;

        public long TokenCount => 1;

        public long OutOfVocabularyCount => 0;
    }
}
