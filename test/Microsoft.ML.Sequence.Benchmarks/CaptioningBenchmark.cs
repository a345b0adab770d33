using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.ImageCaptioning;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// One captioner training step as the trainer runs it (64 captions of 16 images, each image encoded once; the default network: conv blocks 16-32-64 on 64 × 64 images → 64 regions,
/// LSTM decoder 192 with additive attention 96, vocabulary 40, batch 64, captions of 12 steps, teacher forcing,
/// cross-entropy, clipping at 5, Adam) from identical weights and batches, ours against the same model in PyTorch 1.13
/// (python/worker.py "caption_*"). Inside the timer: zero_grad, forward, loss, backward, clipping, Adam step and reading
/// the loss. Also timed on our side: the encoder alone (forward + backward), to say where a step's time goes.
/// </summary>
internal static class CaptioningBenchmark
{
    // As the trainer batches: 16 images with 4 captions each, every image encoded once for its 4 rows.
    private const int Batch = 64, Images = 16, Steps = 12, Vocabulary = 40, Size = 64;
    private const int StepsPerRepetition = 3;

    public static void Run(PythonWorker python, Report report)
    {
        int warmups = BenchmarkRun.Count(2, 1), repetitions = BenchmarkRun.Count(7, 2);
        var options = new ImageCaptionerOptions { Dropout = 0 };
        Console.WriteLine($"captioning step: batch {Batch} captions of {Images} {Size}×{Size} images, conv [{string.Join(", ", options.EncoderChannels)}], {Steps} decoder steps, " +
            $"hidden {options.HiddenSize}, attention {options.AttentionSize}, vocabulary {Vocabulary}; {repetitions} × {StepsPerRepetition} steps per side");
        using var network = new CaptionNetwork(Vocabulary, options, seed: 20261202);
        using var generator = new Generator(20261202);
        using Tensor images = torch.randn([Images, 3, Size, Size], generator: generator);
        using Tensor imageOfRow = torch.arange(Batch, ScalarType.Int64).div(Batch / Images, rounding_mode: RoundingMode.floor);
        using Tensor inputs = torch.randint(4, Vocabulary, [Batch, Steps], ScalarType.Int64, generator: generator);
        using Tensor targets = torch.randint(4, Vocabulary, [Batch, Steps], ScalarType.Int64, generator: generator);
        long ourParameters = network.parameters().Sum(p => p.numel());
        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-caption-{Environment.ProcessId}");
        try
        {
            TensorFolder.Write(folder, network.state_dict().Append(new("images", images)).Append(new("image_of_row", imageOfRow)).Append(new("inputs", inputs)).Append(new("targets", targets)),
                new { channels = options.EncoderChannels, embedding = options.EmbeddingSize, hidden = options.HiddenSize,
                    attention = options.AttentionSize, vocabulary = Vocabulary, learning_rate = options.LearningRate, clip = options.GradientClipNorm });
            long theirParameters = python.Request(new { command = "caption_load", directory = folder })["parameters"]!.GetValue<long>();
            Console.WriteLine($"parameters: ours {ourParameters:N0}, pytorch {theirParameters:N0}");
            if (theirParameters != ourParameters)
            {
                throw new InvalidOperationException("The two models differ in parameter count; the comparison would be meaningless.");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        network.train();
        List<TorchSharp.Modules.Parameter> parameters = network.parameters().ToList();
        using var optimizer = torch.optim.Adam(parameters, options.LearningRate);
        var ours = new List<double>();
        var theirs = new List<double>();
        var encoder = new List<double>();
        for (int rep = 0; rep < warmups + repetitions; rep++)
        {
            double ourSeconds = 0, ourLoss = 0;
            JsonNode? reply = null;
            for (int turn = 0; turn < 2; turn++)
            {
                if (BenchmarkRun.Rotate(turn, rep, 2) == 0)
                {
                    (ourSeconds, ourLoss) = TimeSteps(network, optimizer, parameters, options.GradientClipNorm, images, imageOfRow, inputs, targets);
                }
                else
                {
                    reply = python.Request(new { command = "caption_steps", steps = StepsPerRepetition });
                }
            }

            double encoderSeconds = TimeEncoder(network, images);
            if (rep == 0)
            {
                double theirLoss = reply!["losses"]![0]!.GetValue<double>();
                Console.WriteLine($"loss after step 1: ours {ourLoss:R}, pytorch {theirLoss:R}");
                if (Math.Abs(ourLoss - theirLoss) / Math.Abs(theirLoss) > 1e-3)
                {
                    throw new InvalidOperationException("The first step's losses differ: the two sides do not train the same model.");
                }
            }

            if (rep >= warmups)
            {
                ours.Add(ourSeconds * 1000 / StepsPerRepetition);
                theirs.Add(reply!["seconds"]!.GetValue<double>() * 1000 / StepsPerRepetition);
                encoder.Add(encoderSeconds * 1000);
            }
        }

        Timing our = Timing.Of(ours), their = Timing.Of(theirs), enc = Timing.Of(encoder);
        report.AddRow("captioning train step", "ours (TorchSharp)", our, "ms/step");
        report.AddRow("captioning train step", "pytorch 1.13", their, "ms/step");
        report.AddRow("captioning train step", "ours: encoder fwd+bwd only", enc, "ms", $"{100 * enc.Median / our.Median:0}% of our step");
        report.AddMetric("captioning_train_speedup_vs_pytorch", their.Median / our.Median);
    }

    private static (double Seconds, double Loss) TimeSteps(CaptionNetwork network, optim.Optimizer optimizer, List<TorchSharp.Modules.Parameter> parameters,
        double clip, Tensor images, Tensor imageOfRow, Tensor inputs, Tensor targets)
    {
        double loss = 0;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < StepsPerRepetition; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor value = network.Loss(images, imageOfRow, inputs, targets, 0, 0);
            value.backward();
            nn.utils.clip_grad_norm_(parameters, clip);
            optimizer.step();
            double read = value.ToDouble();
            if (step == 0)
            {
                loss = read;
            }
        }

        return (clock.Elapsed.TotalSeconds, loss);
    }

    private static double TimeEncoder(CaptionNetwork network, Tensor images)
    {
        var clock = Stopwatch.StartNew();
        using (NewDisposeScope())
        {
            network.Encoder.call(images).sum().backward();
        }

        network.zero_grad();
        return clock.Elapsed.TotalSeconds;
    }
}
