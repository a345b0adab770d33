using System.Diagnostics;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// Variable-length batches: 20 batches of 64 rows whose lengths are drawn (benchmark seed) from the whitespace token
/// counts of SST-2's training sentences; a BiLSTM 128 → 256, forward and backward (loss = Σ outputs + Σ final hidden).
/// Every side gets the same batches in the same order, each batch padded to its own longest row: ours padded (no
/// lengths), ours default (lengths, <see cref="RecurrentBackend.Auto"/>), ours on the TorchSharp backend (lengths),
/// plain TorchSharp <c>nn.LSTM</c> on a <c>PackedSequence</c> (what a .NET user writes by hand:
/// <c>pack_padded_sequence(enforce_sorted: false)</c> → <c>nn.LSTM</c> → <c>pad_packed_sequence</c>), and PyTorch
/// 1.13 packed and padded. Inside each timer: the 20 batches, each zero_grad + forward (with any sorting, packing and
/// un-sorting) + loss + backward. One warm-up repetition, then 7, the order of the sides rotating every repetition.
/// </summary>
internal static class MixedLengthBenchmark
{
    private const int Batches = 20, Batch = 64, Inputs = 128, Hidden = 256;
    private const int Seed = 20261122, Warmups = 1;

    public static void Run(PythonWorker python, Report report)
    {
        int repetitions = BenchmarkRun.Count(7, 2);
        int[] counts = TokenCounts(DataLocator.GetPath("sst2/train.tsv"));
        var random = new Random(Seed);
        long[][] lengths = Enumerable.Range(0, Batches)
            .Select(_ => Enumerable.Range(0, Batch).Select(_ => (long)counts[random.Next(counts.Length)]).ToArray()).ToArray();
        double padding = 1 - lengths.Sum(b => b.Sum()) / (double)lengths.Sum(b => b.Length * b.Max());
        Console.WriteLine($"mixed length: {Batches} batches × {Batch} rows, SST-2 token counts (mean {counts.Average():0.0}, max {counts.Max()}); " +
            $"longest per batch {lengths.Min(b => b.Max())}–{lengths.Max(b => b.Max())}; {padding:P0} of padded row-steps are padding; {repetitions} repetitions");

        using var generator = new Generator(Seed);
        Tensor[] inputs = lengths.Select(b => torch.randn([Batch, b.Max(), Inputs], generator: generator)).ToArray();
        Tensor[] lengthTensors = lengths.Select(b => torch.tensor(b, ScalarType.Int64)).ToArray();
        using Lstm padded = Create(RecurrentBackend.Auto, generator);
        using Lstm defaultPath = Create(RecurrentBackend.Auto, null);
        using Lstm torchSharpBackend = Create(RecurrentBackend.TorchSharp, null);
        using TorchSharp.Modules.LSTM plain = nn.LSTM(Inputs, Hidden, batchFirst: true, bidirectional: true);
        try
        {
            Dictionary<string, Tensor> weights = padded.state_dict();
            foreach (nn.Module layer in new nn.Module[] { defaultPath, torchSharpBackend, plain })
            {
                LstmStepBenchmark.CopyWeights(weights, layer);
            }

            CheckPathsAgree(defaultPath, torchSharpBackend, plain, inputs[0], lengthTensors[0], lengths[0]);
            python.Request(new { command = "mixed_load", lengths, inputs = Inputs, hidden = Hidden, seed = Seed });

            (string Name, Func<double> Seconds)[] sides =
            [
                ("ours padded, no lengths", () => TimeOurs(padded, inputs, null)),
                ("ours default", () => TimeOurs(defaultPath, inputs, lengthTensors)),
                ("ours, TorchSharp backend", () => TimeOurs(torchSharpBackend, inputs, lengthTensors)),
                ("torchsharp nn.LSTM packed", () => TimePlain(plain, inputs, lengthTensors)),
                ("pytorch 1.13 packed", () => python.Request(new { command = "mixed_run", mode = "packed" })["seconds"]!.GetValue<double>()),
                ("pytorch 1.13 padded", () => python.Request(new { command = "mixed_run", mode = "padded" })["seconds"]!.GetValue<double>()),
            ];
            var samples = sides.Select(_ => new List<double>()).ToArray();
            for (int rep = 0; rep < Warmups + repetitions; rep++)
            {
                for (int turn = 0; turn < sides.Length; turn++)
                {
                    int side = BenchmarkRun.Rotate(turn, rep, sides.Length);
                    double seconds = sides[side].Seconds();
                    if (rep >= Warmups)
                    {
                        samples[side].Add(seconds * 1000);
                    }
                }
            }

            Timing[] timings = samples.Select(Timing.Of).ToArray();
            Timing ourPadded = timings[0], ours = timings[1], plainPacked = timings[3], theirPacked = timings[4];
            for (int s = 0; s < sides.Length; s++)
            {
                report.AddRow("mixed length BiLSTM fwd+bwd", sides[s].Name, timings[s], "ms/20 batches",
                    $"ours default {timings[s].Median / ours.Median:0.00}× faster");
            }

            report.AddMetric("mixed_length_speedup_vs_pytorch", theirPacked.Median / ours.Median);
            report.AddMetric("mixed_length_speedup_vs_torchsharp_packed", plainPacked.Median / ours.Median);
            report.AddMetric("mixed_length_default_vs_padded_speedup", ourPadded.Median / ours.Median);
        }
        finally
        {
            foreach (Tensor t in inputs.Concat(lengthTensors))
            {
                t.Dispose();
            }
        }
    }

    private static Lstm Create(RecurrentBackend backend, Generator? generator) =>
        new(new RecurrentLayerOptions { InputSize = Inputs, HiddenSize = Hidden, Bidirectional = true, Backend = backend }, generator);

    private static double TimeOurs(Lstm layer, Tensor[] inputs, Tensor[]? lengths)
    {
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < inputs.Length; b++)
        {
            using var scope = torch.NewDisposeScope();
            layer.zero_grad();
            RecurrentOutput output = layer.Forward(inputs[b], lengths?[b]);
            (output.Output.sum() + output.FinalHidden.sum()).backward();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static double TimePlain(TorchSharp.Modules.LSTM layer, Tensor[] inputs, Tensor[] lengths)
    {
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < inputs.Length; b++)
        {
            using var scope = torch.NewDisposeScope();
            layer.zero_grad();
            (Tensor output, Tensor hidden, _) = Plain(layer, inputs[b], lengths[b]);
            (output.sum() + hidden.sum()).backward();
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>What a .NET user writes by hand: pack (unsorted lengths), TorchSharp's nn.LSTM, unpack to the batch's width.</summary>
    private static (Tensor Output, Tensor Hidden, Tensor Cell) Plain(TorchSharp.Modules.LSTM layer, Tensor input, Tensor lengths)
    {
        using nn.utils.rnn.PackedSequence packed = nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first: true, enforce_sorted: false);
        (nn.utils.rnn.PackedSequence packedOutput, Tensor hidden, Tensor cell) = layer.call(packed);
        using (packedOutput)
        {
            (Tensor output, Tensor _) = nn.utils.rnn.pad_packed_sequence(packedOutput, batch_first: true, total_length: input.shape[1]);
            return (output, hidden, cell);
        }
    }

    /// <summary>The timed paths with lengths must compute the same thing: on batch 0, outputs at the valid steps, final
    /// states and the weight gradients of the timed loss within 1e-4 (the padded path without lengths reads padding and
    /// differs by design). Run with a graph recorded, as timed: <see cref="RecurrentBackend.Auto"/> picks its kernel by that.</summary>
    private static void CheckPathsAgree(Lstm ours, Lstm torchSharpBackend, TorchSharp.Modules.LSTM plain, Tensor input, Tensor lengths, long[] rowLengths)
    {
        using var scope = torch.NewDisposeScope();
        foreach (nn.Module module in new nn.Module[] { ours, torchSharpBackend, plain })
        {
            module.zero_grad();
        }

        Tensor valid = (torch.arange(input.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(-1).to_type(ScalarType.Float32);
        RecurrentOutput reference = ours.Forward(input, lengths);
        RecurrentOutput other = torchSharpBackend.Forward(input, lengths);
        (Tensor plainOutput, Tensor plainHidden, Tensor plainCell) = Plain(plain, input, lengths);
        long[] expected = [Batch, rowLengths.Max(), 2 * Hidden];
        foreach (Tensor output in new[] { reference.Output, other.Output, plainOutput })
        {
            if (!output.shape.SequenceEqual(expected))
            {
                throw new InvalidOperationException($"Output shape [{string.Join(", ", output.shape)}], expected [{string.Join(", ", expected)}].");
            }
        }

        (reference.Output.sum() + reference.FinalHidden.sum()).backward();
        (other.Output.sum() + other.FinalHidden.sum()).backward();
        (plainOutput.sum() + plainHidden.sum()).backward();
        Dictionary<string, Tensor> oursGrad = Gradients(ours), otherGrad = Gradients(torchSharpBackend), plainGrad = Gradients(plain);

        double MaxDifference(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape)
            ? (a - b).abs().max().item<float>()
            : throw new InvalidOperationException($"Shapes differ: [{string.Join(", ", a.shape)}] vs [{string.Join(", ", b.shape)}].");

        var differences = new (string Name, double Value)[]
        {
            ("TorchSharp backend output", MaxDifference(reference.Output * valid, other.Output * valid)),
            ("TorchSharp backend final hidden", MaxDifference(reference.FinalHidden, other.FinalHidden)),
            ("TorchSharp backend final cell", MaxDifference(reference.FinalCell!, other.FinalCell!)),
            ("nn.LSTM packed output", MaxDifference(reference.Output * valid, plainOutput * valid)),
            ("nn.LSTM packed final hidden", MaxDifference(reference.FinalHidden, plainHidden)),
            ("nn.LSTM packed final cell", MaxDifference(reference.FinalCell!, plainCell)),
            ("TorchSharp backend gradients (relative)", RelativeGradientDifference(oursGrad, otherGrad)),
            ("nn.LSTM packed gradients (relative)", RelativeGradientDifference(oursGrad, plainGrad)),
        };
        Console.WriteLine("  batch 0, max |ours default − other|: " +
            string.Join("; ", differences.Select(d => FormattableString.Invariant($"{d.Name} {d.Value:E1}"))));
        if (differences.FirstOrDefault(d => !(d.Value <= 1e-4)) is { Name: not null } bad)
        {
            throw new InvalidOperationException($"The timed paths disagree on batch 0: {bad.Name} differs by {bad.Value:E2}.");
        }
    }

    private static Dictionary<string, Tensor> Gradients(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad
            ?? throw new InvalidOperationException($"{p.name} received no gradient."));

    /// <summary>max over parameters of max |a − b| / max |b|; names must match.</summary>
    private static double RelativeGradientDifference(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b)
    {
        if (!a.Keys.Order().SequenceEqual(b.Keys.Order()))
        {
            throw new InvalidOperationException($"Parameter names differ: [{string.Join(", ", a.Keys)}] vs [{string.Join(", ", b.Keys)}].");
        }

        return a.Keys.Max(name => a[name].shape.SequenceEqual(b[name].shape)
            ? (a[name] - b[name]).abs().max().item<float>() / Math.Max(b[name].abs().max().item<float>(), 1e-12)
            : throw new InvalidOperationException($"{name}: gradient shapes differ."));
    }

    private static int[] TokenCounts(string path)
    {
        var counts = new List<int>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            int tab = line.IndexOf('\t');
            string sentence = tab >= 0 ? line[(tab + 1)..] : line;
            int count = sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            if (count > 0)
            {
                counts.Add(count);
            }
        }

        return counts.ToArray();
    }
}
