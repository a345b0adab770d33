using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Platform;

/// <summary>Native memory: a dispose scope frees every temporary of a step, and a training loop over our layers
/// returns to its starting tensor count and stops growing in resident memory.</summary>
/// <remarks>TorchSharp counts live tensors per thread (<see cref="DisposeScopeManager.Statistics"/>); each test runs on
/// one thread, and the class runs alone so no other test's tensors are counted.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class MemoryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ScopeFreesTheTemporariesOfAForwardAndBackward()
    {
        using var generator = new Generator(3);
        using var lstm = new Lstm(4, 6, layers: 2, bidirectional: true, generator: generator);
        long before = LiveTensors();
        using (NewDisposeScope())
        {
            Tensor x = randn(new long[] { 3, 5, 4 }, generator: generator);
            Tensor lengths = tensor(new long[] { 5, 2, 4 });
            Tensor loss = lstm.Forward(x, lengths).Output.pow(2).sum();
            loss.backward();
            Assert.IsGreaterThan(before, LiveTensors(), "the step created temporaries");
        }

        Assert.AreEqual(before, LiveTensors(), "every managed tensor of the step was freed (gradients live in the native parameters)");
    }

    [TestMethod]
    public void MovedToOuterSurvivesItsScope()
    {
        long before = LiveTensors();
        Tensor kept;
        using (NewDisposeScope())
        {
            Tensor a = ones(2) + 1;
            kept = (a * 3).MoveToOuterDisposeScope();
        }

        CollectionAssert.AreEqual(new float[] { 6, 6 }, TensorValues.ToArray<float>(kept));
        Assert.AreEqual(before + 1, LiveTensors());
        kept.Dispose();
        Assert.AreEqual(before, LiveTensors());
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void ThreeThousandTrainingStepsDoNotGrowTensorsOrResidentMemory()
    {
        const int Steps = 3000, Batch = 8, Time = 10, Inputs = 16, Hidden = 32, Classes = 5;
        using var generator = new Generator(17);
        using var lstm = new Lstm(Inputs, Hidden, generator: generator);
        using var head = Initialization.Linear(Hidden, Classes, bias: true, generator);
        var parameters = lstm.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, lr: 0.01);
        using Tensor input = randn(new long[] { Batch, Time, Inputs }, generator: generator);
        using Tensor lengths = tensor(new long[] { 10, 3, 7, 1, 10, 4, 9, 2 });
        using Tensor labels = randint(0, Classes, new long[] { Batch }, generator: generator);
        optimizer.zero_grad();
        long before = LiveTensors();
        double firstLoss = 0, lastLoss = 0, rssAt500 = 0;
        long liveAt500 = 0;
        for (int step = 1; step <= Steps; step++)
        {
            TestContext.CancellationToken.ThrowIfCancellationRequested();
            using (NewDisposeScope())
            {
                Tensor states = lstm.Forward(input, lengths).Output;
                Tensor logits = head.call(SequencePooling.Max(states, lengths));
                Tensor loss = nn.functional.cross_entropy(logits, labels);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 5.0);
                optimizer.step();
                lastLoss = loss.item<float>();
                firstLoss = step == 1 ? lastLoss : firstLoss;
            }

            if (step == 500)
            {
                GC.Collect();
                rssAt500 = ResidentMegabytes();
                liveAt500 = LiveTensors();
            }
        }

        GC.Collect();
        double rssAtEnd = ResidentMegabytes();
        long liveAtEnd = LiveTensors();
        TestContext.WriteLine($"live tensors: start {before}, step 500 {liveAt500}, end {liveAtEnd}; VmRSS step 500 {rssAt500:F1} MB, " +
            $"end {rssAtEnd:F1} MB, growth {rssAtEnd - rssAt500:F1} MB; loss {firstLoss:F4} -> {lastLoss:F4}");
        Assert.AreEqual(liveAt500, liveAtEnd, "tensors alive after step 500 (gradients and Adam's moments) stay the same");
        Assert.IsLessThanOrEqualTo(before + 2L * parameters.Count + 2L * parameters.Count, liveAtEnd,
            "beyond the inputs, only gradients and two Adam moments per parameter may outlive the steps");
        Assert.IsLessThan(firstLoss / 2, lastLoss, "the model should fit a fixed batch");
        Assert.IsLessThan(20.0, rssAtEnd - rssAt500, "resident memory grew between step 500 and the end");
    }

    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>VmRSS of this process from /proc/self/status, in megabytes.</summary>
    private static double ResidentMegabytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS line");
    }
}
