using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class TrainingTests
{
    [TestMethod]
    public void LinearWithAdamFitsFourSeparablePoints()
    {
        using var scope = TensorScope.Begin();
        using var generator = new RandomGenerator(2024);
        using var model = new Linear(2, 2, generator: generator);
        using var optimizer = new AdamOptimizer(model.Parameters(), learningRate: 0.05);
        Tensor points = Tensor.From<float>([2, 1, 1, 2, -1, -2, -2, -1], [4, 2]);
        Tensor labels = Tensor.From<long>([1, 1, 0, 0]);

        double firstLoss = double.NaN, loss = double.NaN;
        for (int step = 0; step < 200; step++)
        {
            using (TensorScope.Begin())
            {
                optimizer.ZeroGrad();
                Tensor lossTensor = Losses.CrossEntropy(model.Forward(points), labels);
                loss = lossTensor.ToScalar();
                firstLoss = step == 0 ? loss : firstLoss;
                lossTensor.Backward();
                optimizer.Step();
            }
        }

        using (NoGradScope.Begin())
        {
            double accuracy = model.Forward(points).ArgMax(1).Eq(labels).To(DType.Float32).Mean().ToScalar();
            Assert.AreEqual(1.0, accuracy, "accuracy after 200 steps");
        }

        Assert.IsTrue(loss < 0.05 && loss < firstLoss / 10, $"loss went from {firstLoss} to {loss}");
    }
}
