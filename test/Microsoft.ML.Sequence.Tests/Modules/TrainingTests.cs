using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class TrainingTests
{
    [TestMethod]
    public void LinearWithAdamFitsFourSeparablePoints()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2024, CPU);
        using var model = Initialization.Linear(2, 2, bias: true, generator);
        using optim.Optimizer optimizer = OptimizerFactory.Create(OptimizerKind.Adam, model.parameters(), learningRate: 0.05);
        Tensor points = tensor(new float[] { 2, 1, 1, 2, -1, -2, -2, -1 }, [4, 2]);
        Tensor labels = tensor(new long[] { 1, 1, 0, 0 });

        double firstLoss = double.NaN, loss = double.NaN;
        for (int step = 0; step < 200; step++)
        {
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                Tensor lossTensor = nn.functional.cross_entropy(model.call(points), labels);
                loss = lossTensor.ToDouble();
                firstLoss = step == 0 ? loss : firstLoss;
                lossTensor.backward();
                optimizer.step();
            }
        }

        using (no_grad())
        {
            double accuracy = model.call(points).argmax(1).eq(labels).to(ScalarType.Float32).mean().ToDouble();
            Assert.AreEqual(1.0, accuracy, "accuracy after 200 steps");
        }

        Assert.IsTrue(loss < 0.05 && loss < firstLoss / 10, $"loss went from {firstLoss} to {loss}");
    }
}
