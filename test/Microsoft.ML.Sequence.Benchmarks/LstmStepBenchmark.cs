using System.Diagnostics;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// One LSTM training step (batch 64, 100 steps, 128 → 256, linear on the last step, cross-entropy, Adam), ours and
/// PyTorch's from identical weights and batch, alternating, 3 warm-ups then 7 timed repetitions each.
/// </summary>
internal static class LstmStepBenchmark
{
    private const int Batch = 64, Steps = 100, Inputs = 128, Hidden = 256, Classes = 10;
    private const double LearningRate = 1e-3;
    private const int Warmups = 3, Repetitions = 11, StepsPerRepetition = 3;

    public static void Run(PythonWorker python, Report report)
    {
        Console.WriteLine($"lstm step: batch {Batch} × {Steps} steps, {Inputs} → {Hidden}, {Classes} classes, Adam");
        using var generator = new RandomGenerator(20261122);
        using var model = new LstmClassifier(Inputs, Hidden, Classes, generator);
        using Tensor x = Tensor.Randn([Batch, Steps, Inputs], generator);
        using Tensor y = Tensor.RandInt(0, Classes, [Batch], generator);

        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-lstm-{Environment.ProcessId}");
        IReadOnlyDictionary<string, Tensor> state = model.StateDictionary();
        try
        {
            TensorFolder.Write(folder, state.Append(new("x", x)).Append(new("y", y)),
                new { inputs = Inputs, hidden = Hidden, classes = Classes, learning_rate = LearningRate });
            long theirParameters = python.Request(new { command = "lstm_load", directory = folder })["parameters"]!.GetValue<long>();
            Console.WriteLine($"parameters: ours {model.ParameterCount:N0}, pytorch {theirParameters:N0}");
            if (theirParameters != model.ParameterCount)
            {
                throw new InvalidOperationException("The two models differ in parameter count; the comparison would be meaningless.");
            }
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }

        // The same model on libtorch's at::lstm (what PyTorch runs), from the same weights, shows what the shim's kernel adds.
        using var libtorchModel = new LstmClassifier(Inputs, Hidden, Classes, generator, RecurrentBackend.LibTorch);
        using (TensorScope.Begin())
        {
            libtorchModel.LoadStateDictionary(model.StateDictionary());
        }

        using var optimizer = new AdamOptimizer(model.Parameters(), LearningRate);
        using var libtorchOptimizer = new AdamOptimizer(libtorchModel.Parameters(), LearningRate);
        var ours = new List<double>();
        var oursLibtorch = new List<double>();
        var theirs = new List<double>();
        for (int rep = 0; rep < Warmups + Repetitions; rep++)
        {
            // The side that goes first changes every repetition, so no side always runs on caches the other one left.
            double ourSeconds = 0, ourLoss = 0, libtorchSeconds = 0, libtorchLoss = 0;
            System.Text.Json.Nodes.JsonNode? reply = null;
            for (int turn = 0; turn < 3; turn++)
            {
                switch ((turn + rep) % 3)
                {
                    case 0: (ourSeconds, ourLoss) = TimeSteps(model, optimizer, x, y); break;
                    case 1: (libtorchSeconds, libtorchLoss) = TimeSteps(libtorchModel, libtorchOptimizer, x, y); break;
                    default: reply = python.Request(new { command = "lstm_steps", steps = StepsPerRepetition }); break;
                }
            }

            if (rep == 0)
            {
                double theirLoss = reply!["losses"]![0]!.GetValue<double>();
                Console.WriteLine($"loss after step 1: ours {ourLoss:R}, ours on at::lstm {libtorchLoss:R}, pytorch {theirLoss:R}");
                foreach (double loss in new[] { ourLoss, libtorchLoss })
                {
                    if (Math.Abs(loss - theirLoss) / Math.Abs(theirLoss) > 1e-4)
                    {
                        throw new InvalidOperationException("Step-1 losses differ by more than 1e-4 relative: the sides do not compute the same thing.");
                    }
                }
            }

            if (rep >= Warmups)
            {
                ours.Add(ourSeconds * 1000 / StepsPerRepetition);
                oursLibtorch.Add(libtorchSeconds * 1000 / StepsPerRepetition);
                theirs.Add(reply!["seconds"]!.GetValue<double>() * 1000 / StepsPerRepetition);
            }
        }

        Timing our = Timing.Of(ours), their = Timing.Of(theirs);
        report.AddRow("lstm train step", "ours", our, "ms/step", "default: the shim's LSTM kernel");
        report.AddRow("lstm train step", "ours, libtorch kernel", Timing.Of(oursLibtorch), "ms/step", "at::lstm, as PyTorch");
        report.AddRow("lstm train step", "pytorch", their, "ms/step");
        report.AddMetric("lstm_step_speedup_vs_pytorch", their.Median / our.Median);
    }

    /// <summary>Seconds for one repetition of training steps, and the loss of its first step.</summary>
    private static (double Seconds, double FirstLoss) TimeSteps(LstmClassifier model, AdamOptimizer optimizer, Tensor x, Tensor y)
    {
        var watch = Stopwatch.StartNew();
        double first = Step(model, optimizer, x, y);
        for (int s = 1; s < StepsPerRepetition; s++)
        {
            Step(model, optimizer, x, y);
        }

        return (watch.Elapsed.TotalSeconds, first);
    }

    private static double Step(LstmClassifier model, AdamOptimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = TensorScope.Begin();
        optimizer.ZeroGrad();
        Tensor loss = Losses.CrossEntropy(model.Forward(x), y);
        loss.Backward();
        optimizer.Step();
        return loss.Item<float>();
    }
}
