using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// One LSTM training step (batch 64, 100 steps, 128 → 256, linear on the last step, cross-entropy, Adam) from identical
/// weights and batch on three sides: ours (<see cref="Modules.Recurrent.Lstm"/>, TorchSharp's <c>nn.LSTM</c> underneath),
/// TorchSharp's plain <c>nn.LSTM</c> (shows what our layer adds) and PyTorch 1.13 (python/worker.py). The order of the
/// sides rotates every repetition; 3 warm-ups, then 11 timed repetitions of 3 steps each. Inside the timer: zero_grad,
/// forward, loss, backward, Adam step and reading the loss, per step.
/// </summary>
internal static class LstmStepBenchmark
{
    private const int Batch = 64, Steps = 100, Inputs = 128, Hidden = 256, Classes = 10;
    private const double LearningRate = 1e-3;
    private const int StepsPerRepetition = 3;

    public static void Run(PythonWorker python, Report report)
    {
        int warmups = BenchmarkRun.Count(3, 1), repetitions = BenchmarkRun.Count(11, 2);
        Console.WriteLine($"lstm step: batch {Batch} × {Steps} steps, {Inputs} → {Hidden}, {Classes} classes, Adam; {repetitions} × {StepsPerRepetition} steps per side");
        using var generator = new Generator(20261122);
        using var model = new LstmClassifier(Inputs, Hidden, Classes, generator);
        using var plain = new LstmClassifier(Inputs, Hidden, Classes, generator, plainTorchSharp: true);
        using Tensor x = torch.randn([Batch, Steps, Inputs], generator: generator);
        using Tensor y = torch.randint(0, Classes, [Batch], ScalarType.Int64, generator: generator);
        long ourParameters = model.parameters().Sum(p => p.numel());

        // Same weights everywhere: ours → plain nn.LSTM (by name, shapes checked) → PyTorch (through files).
        Dictionary<string, Tensor> state = model.state_dict();
        CopyWeights(state, plain);
        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-lstm-{Environment.ProcessId}");
        try
        {
            TensorFolder.Write(folder, state.Append(new("x", x)).Append(new("y", y)),
                new { inputs = Inputs, hidden = Hidden, classes = Classes, learning_rate = LearningRate });
            long theirParameters = python.Request(new { command = "lstm_load", directory = folder })["parameters"]!.GetValue<long>();
            Console.WriteLine($"parameters: ours {ourParameters:N0}, plain TorchSharp {plain.parameters().Sum(p => p.numel()):N0}, pytorch {theirParameters:N0}");
            if (theirParameters != ourParameters)
            {
                throw new InvalidOperationException("The two models differ in parameter count; the comparison would be meaningless.");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        model.train();
        plain.train();
        using var optimizer = torch.optim.Adam(model.parameters(), LearningRate);
        using var plainOptimizer = torch.optim.Adam(plain.parameters(), LearningRate);
        var ours = new List<double>();
        var oursPlain = new List<double>();
        var theirs = new List<double>();
        for (int rep = 0; rep < warmups + repetitions; rep++)
        {
            double ourSeconds = 0, ourLoss = 0, plainSeconds = 0, plainLoss = 0;
            JsonNode? reply = null;
            for (int turn = 0; turn < 3; turn++)
            {
                switch (BenchmarkRun.Rotate(turn, rep, 3))
                {
                    case 0: (ourSeconds, ourLoss) = TimeSteps(model, optimizer, x, y); break;
                    case 1: (plainSeconds, plainLoss) = TimeSteps(plain, plainOptimizer, x, y); break;
                    default: reply = python.Request(new { command = "lstm_steps", steps = StepsPerRepetition }); break;
                }
            }

            if (rep == 0)
            {
                double theirLoss = reply!["losses"]![0]!.GetValue<double>();
                Console.WriteLine($"loss after step 1: ours {ourLoss:R}, plain TorchSharp {plainLoss:R}, pytorch {theirLoss:R}");
                foreach (double loss in new[] { ourLoss, plainLoss })
                {
                    if (Math.Abs(loss - theirLoss) / Math.Abs(theirLoss) > 1e-4)
                    {
                        throw new InvalidOperationException("Step-1 losses differ by more than 1e-4 relative: the sides do not compute the same thing.");
                    }
                }
            }

            if (rep >= warmups)
            {
                ours.Add(ourSeconds * 1000 / StepsPerRepetition);
                oursPlain.Add(plainSeconds * 1000 / StepsPerRepetition);
                theirs.Add(reply!["seconds"]!.GetValue<double>() * 1000 / StepsPerRepetition);
            }
        }

        Timing our = Timing.Of(ours), their = Timing.Of(theirs), plainTiming = Timing.Of(oursPlain);
        report.AddRow("lstm train step", "ours", our, "ms/step", "Lstm layer (nn.LSTM underneath)");
        report.AddRow("lstm train step", "torchsharp nn.LSTM", plainTiming, "ms/step", $"{plainTiming.Median / our.Median:0.00}× ours (the layer vs its own native module)");
        report.AddRow("lstm train step", "pytorch 1.13", their, "ms/step", $"{their.Median / our.Median:0.00}× ours");
        report.AddMetric("lstm_step_speedup_vs_pytorch", their.Median / our.Median);
    }

    /// <summary>Copies every tensor of <paramref name="state"/> into the parameter of the same name of
    /// <paramref name="target"/>; names and shapes must match (checked here: a libtorch shape error would abort the process).</summary>
    internal static void CopyWeights(IReadOnlyDictionary<string, Tensor> state, nn.Module target)
    {
        var parameters = target.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        if (!parameters.Keys.Order().SequenceEqual(state.Keys.Order()))
        {
            throw new InvalidOperationException(
                $"Parameter names differ: [{string.Join(", ", state.Keys.Order())}] vs [{string.Join(", ", parameters.Keys.Order())}].");
        }

        using var noGrad = torch.no_grad();
        foreach ((string name, Tensor source) in state)
        {
            Tensor destination = parameters[name];
            if (!destination.shape.SequenceEqual(source.shape))
            {
                throw new InvalidOperationException($"{name}: shape [{string.Join(", ", source.shape)}] vs [{string.Join(", ", destination.shape)}].");
            }

            destination.copy_(source);
        }
    }

    /// <summary>Seconds for one repetition of training steps, and the loss of its first step.</summary>
    private static (double Seconds, double FirstLoss) TimeSteps(LstmClassifier model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        var watch = Stopwatch.StartNew();
        double first = Step(model, optimizer, x, y);
        for (int s = 1; s < StepsPerRepetition; s++)
        {
            Step(model, optimizer, x, y);
        }

        return (watch.Elapsed.TotalSeconds, first);
    }

    private static double Step(LstmClassifier model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.call(x), y);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
