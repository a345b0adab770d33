using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Torch;

/// <summary>Native memory accounting: scopes free what they own, across awaits too; a training loop does not grow.</summary>
/// <remarks>These tests read the process-wide live-tensor counter, so they run alone, after the parallel phase.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class MemoryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void SettleFinalizers()
    {
        // Tensors another test forgot would be finalized at a random moment and move the counter under our feet.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [TestMethod]
    public void ScopeFreesOpsViewsAndGradientReads()
    {
        long before = TorchRuntime.LiveTensorCount;
        using (var scope = TensorScope.Begin())
        {
            Tensor x = Tensor.Rand([3, 4], dtype: DType.Float64);
            x.RequiresGrad = true;
            Tensor y = (x.Exp() * 2).Transpose(0, 1).Narrow(0, 1, 2).Reshape(-1).View(2, 3).Sum();
            y.Backward();
            Tensor? g1 = x.Grad;
            Tensor? g2 = x.Grad; // every read is a new handle, owned by the scope
            Assert.IsNotNull(g1);
            Assert.IsNotNull(g2);
            Assert.IsGreaterThan(before + 8, TorchRuntime.LiveTensorCount);
            Assert.AreEqual(TorchRuntime.LiveTensorCount - before, (long)scope.OwnedCount);
        }

        Assert.AreEqual(before, TorchRuntime.LiveTensorCount);
    }

    [TestMethod]
    public void NestedScopesMoveToOuterAndKeep()
    {
        long before = TorchRuntime.LiveTensorCount;
        Tensor kept;
        Tensor moved;
        using (var outer = TensorScope.Begin())
        {
            Tensor a = Tensor.Ones([2]);
            using (var inner = TensorScope.Begin())
            {
                Assert.AreSame(inner, TensorScope.Current);
                Tensor b = a + 1;
                Tensor c = b * 3;
                moved = inner.MoveToOuter(c);
                Assert.AreEqual(before + 3, TorchRuntime.LiveTensorCount);
            }

            Assert.AreSame(outer, TensorScope.Current);
            Assert.AreEqual(before + 2, TorchRuntime.LiveTensorCount, "the inner scope frees b but not the moved c");
            CollectionAssert.AreEqual(new float[] { 6, 6 }, moved.ToArray<float>());
            kept = outer.Keep(moved.Exp());
            Assert.ThrowsExactly<InvalidOperationException>(() => outer.Keep(kept), "a tensor can leave a scope once");
        }

        Assert.IsNull(TensorScope.Current);
        Assert.IsTrue(moved.IsDisposed, "the outer scope owned the moved tensor");
        Assert.IsFalse(kept.IsDisposed);
        Assert.AreEqual(before + 1, TorchRuntime.LiveTensorCount);
        kept.Dispose();
        Assert.AreEqual(before, TorchRuntime.LiveTensorCount);
    }

    [TestMethod]
    public void TensorsOutsideAnyScopeAreNotFreed()
    {
        // Negative control: without a scope nothing is freed, and the counter sees every tensor.
        Assert.IsNull(TensorScope.Current);
        long before = TorchRuntime.LiveTensorCount;
        var tensors = new Tensor[1000];
        for (int i = 0; i < tensors.Length; i++)
        {
            tensors[i] = Tensor.Full([2], i);
        }

        Assert.AreEqual(before + 1000, TorchRuntime.LiveTensorCount);
        foreach (Tensor t in tensors)
        {
            t.Dispose();
        }

        Assert.AreEqual(before, TorchRuntime.LiveTensorCount);
    }

    [TestMethod]
    public async Task ScopeSurvivesAwaitsOnOtherThreads()
    {
        long before = TorchRuntime.LiveTensorCount;
        var threads = await CreateAcrossAwaitsAsync();
        Console.WriteLine($"scope used on threads {string.Join(", ", threads.Distinct())}");
        Assert.AreEqual(before, TorchRuntime.LiveTensorCount);
        Assert.IsNull(TensorScope.Current);
    }

    private static async Task<List<int>> CreateAcrossAwaitsAsync()
    {
        var threads = new List<int> { Environment.CurrentManagedThreadId };
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.Ones([3]);
        await Task.Yield();
        threads.Add(Environment.CurrentManagedThreadId);
        Assert.AreSame(scope, TensorScope.Current, "after Task.Yield");
        Tensor b = a * 2;
        await Task.Delay(20).ConfigureAwait(false);
        threads.Add(Environment.CurrentManagedThreadId);
        Assert.AreSame(scope, TensorScope.Current, "after Task.Delay");
        Tensor c = (b + a).Exp();
        await Task.Run(() => Assert.AreSame(scope, TensorScope.Current, "inside Task.Run")).ConfigureAwait(false);
        Tensor d = c.Sum();
        Assert.AreEqual(5, scope.OwnedCount, "tensors created after the awaits belong to the scope");
        Assert.IsFalse(d.IsDisposed);
        return threads;
    }

    [TestMethod]
    public async Task TensorCreatedAfterItsScopeEndedIsRefusedWithoutLeaking()
    {
        // Work started inside a scope inherits it; when that work outlives the scope, creating a tensor there must fail
        // loudly and must not leave the native tensor behind for the finalizer.
        long before = TorchRuntime.LiveTensorCount;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task late;
        using (TensorScope.Begin())
        {
            late = Task.Run(async () =>
            {
                await gate.Task;
                Tensor.Ones([4]);
            });
        }

        gate.SetResult();
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => late);
        Assert.AreEqual(before, TorchRuntime.LiveTensorCount, "the refused tensor's native memory was freed at once");
    }

    [TestMethod]
    public void OutOfOrderDisposeThrows()
    {
        long before = TorchRuntime.LiveTensorCount;
        var outer = TensorScope.Begin();
        Tensor a = Tensor.Ones([1]);
        var inner = TensorScope.Begin();
        Tensor b = Tensor.Ones([1]);
        Assert.ThrowsExactly<InvalidOperationException>(() => outer.Dispose());
        Assert.IsFalse(a.IsDisposed, "a refused dispose frees nothing");
        inner.Dispose();
        outer.Dispose();
        Assert.IsTrue(a.IsDisposed && b.IsDisposed);
        Assert.AreEqual(before, TorchRuntime.LiveTensorCount);

        var noGradOuter = NoGradScope.Begin();
        var noGradInner = NoGradScope.Begin();
        Assert.ThrowsExactly<InvalidOperationException>(() => noGradOuter.Dispose());
        noGradInner.Dispose();
        noGradOuter.Dispose();
        Assert.IsTrue(NoGradScope.IsGradEnabled);
    }

    [TestMethod]
    public async Task NoGradScopeHoldsAcrossAwaits()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([2, 2], DType.Float64);
        x.RequiresGrad = true;
        Assert.IsTrue((x * 2).RequiresGrad, "recording is on outside the no-grad scope");
        using (NoGradScope.Begin())
        {
            Assert.IsFalse((x * 2).RequiresGrad);
            await Task.Delay(20).ConfigureAwait(false);
            Assert.IsFalse(NoGradScope.IsGradEnabled);
            Assert.IsFalse((x * 2).RequiresGrad, "after Task.Delay");
            await Task.Yield();
            Assert.IsFalse(x.Exp().MatMul(x).RequiresGrad, "after Task.Yield");
            Assert.IsFalse(await Task.Run(() => (x + 1).RequiresGrad), "inside Task.Run");
        }

        Assert.IsTrue((x * 2).RequiresGrad, "recording is back on after the scope, whichever thread this is");
        // A flow without the scope on another thread records gradients even if that thread last ran without grad.
        Assert.IsTrue(await Task.Run(() => (x * 3).RequiresGrad));
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void LstmTrainingLoopDoesNotGrowResidentMemory()
    {
        const int Steps = 3000, Batch = 8, Time = 10, Inputs = 16, Hidden = 32, Classes = 5;
        const double LearningRate = 0.1;
        using var generator = new RandomGenerator(17);
        long before = TorchRuntime.LiveTensorCount;
        var parameters = new List<Tensor>();
        Tensor Parameter(params long[] shape)
        {
            Tensor p = Tensor.Randn(shape, generator);
            using (NoGradScope.Begin())
            {
                p.MulInPlace(0.1);
            }

            p.RequiresGrad = true;
            parameters.Add(p);
            return p;
        }

        Tensor[] weights = [Parameter(4 * Hidden, Inputs), Parameter(4 * Hidden, Hidden), Parameter(4 * Hidden), Parameter(4 * Hidden)];
        Tensor readOut = Parameter(Classes, Hidden);
        Tensor readOutBias = Parameter(Classes);
        Tensor input = Tensor.Randn([Batch, Time, Inputs], generator);
        Tensor labels = Tensor.RandInt(0, Classes, [Batch], generator);
        double firstLoss = 0, lastLoss = 0, rssAt500 = 0, rssAtEnd = 0;
        try
        {
            for (int step = 1; step <= Steps; step++)
            {
                TestContext.CancellationToken.ThrowIfCancellationRequested();
                using (var scope = TensorScope.Begin())
                {
                    RecurrentKernelOutput run = RecurrentKernels.Run(RecurrentMode.Lstm, input, weights, 1, false);
                    Tensor logits = NeuralOps.Linear(run.Output.Select(1, -1), readOut, readOutBias);
                    Tensor loss = Losses.CrossEntropy(logits, labels);
                    loss.Backward();
                    using (NoGradScope.Begin())
                    {
                        foreach (Tensor p in parameters)
                        {
                            p.SubInPlace(p.Grad!, LearningRate);
                            p.SetGrad(null);
                        }
                    }

                    lastLoss = loss.Item<float>();
                    if (step == 1)
                    {
                        firstLoss = lastLoss;
                    }
                }

                if (step == 500)
                {
                    rssAt500 = ResidentMegabytes();
                }
            }

            rssAtEnd = ResidentMegabytes();
        }
        finally
        {
            foreach (Tensor p in parameters)
            {
                p.Dispose();
            }

            input.Dispose();
            labels.Dispose();
        }

        Console.WriteLine($"VmRSS at step 500: {rssAt500:F1} MB; at step {Steps}: {rssAtEnd:F1} MB; growth {rssAtEnd - rssAt500:F1} MB");
        Console.WriteLine($"loss: step 1 {firstLoss:F4}, step {Steps} {lastLoss:F4}");
        Assert.AreEqual(before, TorchRuntime.LiveTensorCount, "every tensor of the loop was freed");
        Assert.IsLessThan(firstLoss / 2, lastLoss, "SGD through in-place updates should fit a fixed batch");
        Assert.IsLessThan(20.0, rssAtEnd - rssAt500, "resident memory grew between step 500 and the end");
    }

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
