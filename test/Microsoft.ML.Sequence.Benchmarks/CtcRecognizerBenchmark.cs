using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Modules.Convolution;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// The CRNN of samples/TextLineRecognition (24-pixel lines; conv blocks 16/2×2, 32/2×1, 64/2×1, 96/3×1; 2-layer BiLSTM
/// 128×2; dropout 0.2; linear to 96 classes; CTC loss per character, Adam 2e-3, clipping 5) trained on the same 24
/// batches of 32 lines on both sides, ours (<see cref="CtcRecognizerNetwork"/>) and PyTorch 1.13 (python/ctc_recognizer.py,
/// the same modules with our initial weights). Lines are 120–330 pixels wide, batched by similar width as our trainer
/// does, with labels of one character per 7 pixels. Timed: forward, CTC loss, backward, clipping and the Adam step of all
/// batches, the sides alternating who runs first; lines per second. Then decoding speed (through
/// <see cref="CtcDecodingBenchmark"/>) of our best path and of our prefix beam search (width 16, character 6-gram
/// Kneser–Ney LM trained on SST-2 sentences) over 400 lines of 130 frames of the recognizer's 96 classes whose scores
/// peak like a trained model's (blank or one character per frame, log-softmax), one thread.
/// </summary>
internal static class CtcRecognizerBenchmark
{
    private const int Height = 24, BatchSize = 32, Classes = 96;

    public static void Run(PythonWorker python, Report report)
    {
        int repetitions = BenchmarkRun.Count(3, 1), batchCount = BenchmarkRun.Count(24, 4);
        var options = new CtcRecognizerOptions
        {
            ImageColumnName = "Image",
            ImageHeight = Height,
            ConvolutionBlocks = [new ConvolutionBlock(16, 2, 2), new ConvolutionBlock(32, 2, 1), new ConvolutionBlock(64, 2, 1), new ConvolutionBlock(96, 3, 1)],
            HiddenSize = 128,
            LayerCount = 2,
            Dropout = 0.2,
            LearningRate = 2e-3,
            GradientClipNorm = 5,
        };
        using var generator = new Generator(20261202);
        var random = new Random(20261202);
        var batches = new List<(Tensor Input, long[] Lengths, long[][] Targets)>();
        for (int b = 0; b < batchCount; b++)
        {
            int baseWidth = random.Next(120, 300);
            long[] widths = Enumerable.Range(0, BatchSize).Select(_ => (long)(baseWidth + random.Next(0, 31))).ToArray();
            Tensor input = torch.rand([BatchSize, 1, Height, widths.Max()], generator: generator).mul_(0.3);
            long[][] targets = widths.Select(w => Enumerable.Range(0, (int)(w / 7)).Select(_ => (long)random.Next(1, Classes)).ToArray()).ToArray();
            batches.Add((input, widths, targets));
        }

        long lines = batchCount * BatchSize;
        Console.WriteLine($"ctc recognizer: {batchCount} batches × {BatchSize} lines of {Height} × 120–330 pixels, {Classes} classes; {repetitions} timed repetitions per side");
        using var network = new CtcRecognizerNetwork(CtcInputKind.Image, Height, Classes, options, seed: 1);
        long ourParameters = network.parameters().Sum(p => p.numel());
        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-ctc-{Environment.ProcessId}");
        try
        {
            var tensors = new List<KeyValuePair<string, Tensor>>(network.state_dict());
            for (int b = 0; b < batches.Count; b++)
            {
                tensors.Add(new($"x{b}", batches[b].Input));
                tensors.Add(new($"len{b}", torch.tensor(batches[b].Lengths)));
                tensors.Add(new($"tgt{b}", torch.tensor(batches[b].Targets.SelectMany(t => t).ToArray())));
                tensors.Add(new($"tlen{b}", torch.tensor(batches[b].Targets.Select(t => (long)t.Length).ToArray())));
            }

            TensorFolder.Write(folder, tensors, new
            {
                height = Height, classes = Classes, batches = batches.Count, blocks = options.ConvolutionBlocks.Select(c => new[] { c.Channels, c.HeightPool, c.TimePool }),
                hidden = options.HiddenSize, layers = options.LayerCount, dropout = options.Dropout, learning_rate = options.LearningRate, clip = options.GradientClipNorm,
            });
            long theirParameters = python.Request(new { command = "ctc_load", directory = folder })["parameters"]!.GetValue<long>();
            Console.WriteLine($"parameters: ours {ourParameters:N0}, pytorch {theirParameters:N0}");
            if (theirParameters != ourParameters)
            {
                throw new InvalidOperationException("The two recognizers differ in parameter count; the comparison would be meaningless.");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        network.train();
        using var optimizer = torch.optim.Adam(network.parameters(), options.LearningRate);
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int rep = 0; rep < 1 + repetitions; rep++)
        {
            JsonNode? reply = rep % 2 == 1 ? python.Request(new { command = "ctc_run" }) : null;
            var watch = Stopwatch.StartNew();
            foreach ((Tensor input, long[] lengths, long[][] targets) in batches)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                Tensor logProbabilities = network.call(input, lengths).log_softmax(-1);
                Tensor loss = CtcLoss.Compute(logProbabilities, lengths.Select(network.OutputLength).ToArray(), targets, nn.Reduction.Mean);
                loss.backward();
                nn.utils.clip_grad_norm_(network.parameters(), options.GradientClipNorm);
                optimizer.step();
                _ = loss.item<float>();
            }

            double seconds = watch.Elapsed.TotalSeconds;
            reply ??= python.Request(new { command = "ctc_run" });
            double pytorch = reply["seconds"]!.GetValue<double>();
            Console.WriteLine($"  rep {rep + 1}: ours {seconds:0.00} s ({lines / seconds:0.0} lines/s), pytorch {pytorch:0.00} s ({lines / pytorch:0.0} lines/s)");
            if (rep >= 1)
            {
                ours.Add(lines / seconds);
                theirs.Add(lines / pytorch);
            }
        }

        report.AddRow("ctc train (CRNN)", "ours", Timing.Of(ours), "lines/s", $"{batchCount} batches of {BatchSize}");
        report.AddRow("ctc train (CRNN)", "pytorch", Timing.Of(theirs), "lines/s", $"{batchCount} batches of {BatchSize}");
        report.AddMetric("ctc_train_speedup_vs_pytorch", Timing.Of(ours).Median / Timing.Of(theirs).Median);
        foreach ((Tensor input, _, _) in batches)
        {
            input.Dispose();
        }

        Decoding(report, random);
    }

    private static void Decoding(Report report, Random random)
    {
        const int Lines = 400, Frames = 130;
        string alphabet = new(Enumerable.Range(' ', Classes - 1).Select(c => (char)c).ToArray());
        var scores = new float[Lines][];
        for (int i = 0; i < Lines; i++)
        {
            var line = new float[Frames * Classes];
            for (int t = 0; t < Frames; t++)
            {
                int peak = random.NextDouble() < 0.55 ? 0 : random.Next(1, Classes);
                Span<float> frame = line.AsSpan(t * Classes, Classes);
                double max = double.NegativeInfinity;
                for (int k = 0; k < Classes; k++)
                {
                    frame[k] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) + (k == peak ? 9 : 0));
                    max = Math.Max(max, frame[k]);
                }

                double sum = 0;
                foreach (float v in frame)
                {
                    sum += Math.Exp(v - max);
                }

                float log = (float)(max + Math.Log(sum));
                for (int k = 0; k < Classes; k++)
                {
                    frame[k] -= log;
                }
            }

            scores[i] = line;
        }

        IEnumerable<string> sentences = File.ReadLines(DataLocator.GetPath(Path.Combine("sst2", "train.tsv"))).Skip(1)
            .Select(l => l[(l.IndexOf('\t') + 1)..]).Where(s => s.All(c => c >= ' ' && c <= '~'));
        CharacterLanguageModel languageModel = CharacterLanguageModel.Train(sentences, new CharacterLanguageModelOptions { Order = 6 });
        CtcDecodingBenchmark.Run(report, scores, alphabet, languageModel, "ctc_recognizer_decode", "recognizer-like peaked frames, LM order 6");
    }
}
