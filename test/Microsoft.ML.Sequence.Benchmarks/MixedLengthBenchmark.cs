using System.Diagnostics;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// Variable-length batches: 20 batches of 64 rows whose lengths are drawn (benchmark seed) from the whitespace token
/// counts of SST-2's training sentences; a BiLSTM 128 → 256, forward and backward (loss = Σ outputs + Σ final hidden).
/// Every path gets the same batches in the same order: padded without lengths (each batch padded to its own longest
/// row), the default path (packed: its time includes sorting, packing and un-sorting), masked, per step; PyTorch 1.13
/// padded and packed (<c>enforce_sorted=False</c>) on the same lengths for reference.
/// </summary>
internal static class MixedLengthBenchmark
{
    private const int Batches = 20, Batch = 64, Inputs = 128, Hidden = 256;
    private const int Seed = 20261122, Warmups = 1, Repetitions = 3;

    public static void Run(PythonWorker python, Report report)
    {
        int[] counts = TokenCounts(DataLocator.GetPath("sst2/train.tsv"));
        var random = new Random(Seed);
        long[][] lengths = Enumerable.Range(0, Batches)
            .Select(_ => Enumerable.Range(0, Batch).Select(_ => (long)counts[random.Next(counts.Length)]).ToArray()).ToArray();
        double padding = 1 - lengths.Sum(b => b.Sum()) / (double)lengths.Sum(b => b.Length * b.Max());
        Console.WriteLine($"mixed length: {Batches} batches × {Batch} rows, SST-2 token counts (mean {counts.Average():0.0}, max {counts.Max()}); " +
            $"longest per batch {lengths.Min(b => b.Max())}–{lengths.Max(b => b.Max())}; {padding:P0} of padded row-steps are padding");

        using var generator = new RandomGenerator(Seed);
        var inputs = lengths.Select(b => Tensor.Randn([Batch, b.Max(), Inputs], generator)).ToArray();
        var lengthTensors = lengths.Select(b => Tensor.From(b)).ToArray();
        var paths = new (string Name, Lstm Layer, bool UseLengths)[]
        {
            ("ours padded, no lengths", Create(RecurrentKernel.Auto, VariableLengthStrategy.Auto, generator), false),
            ("ours default (packed)", Create(RecurrentKernel.Auto, VariableLengthStrategy.Auto, null), true),
            ("ours padded, libtorch kernel", Create(RecurrentKernel.Auto, VariableLengthStrategy.Auto, null, RecurrentBackend.LibTorch), false),
            ("ours packed, libtorch kernel", Create(RecurrentKernel.Auto, VariableLengthStrategy.Auto, null, RecurrentBackend.LibTorch), true),
            ("ours masked", Create(RecurrentKernel.Fused, VariableLengthStrategy.Masked, null), true),
            ("ours per step", Create(RecurrentKernel.PerStep, VariableLengthStrategy.Auto, null), true),
        };

        try
        {
            IReadOnlyDictionary<string, Tensor> weights = paths[0].Layer.StateDictionary();
            foreach (var path in paths.Skip(1))
            {
                path.Layer.LoadStateDictionary(weights);
            }

            foreach (Tensor t in weights.Values)
            {
                t.Dispose();
            }

            CheckPathsAgree(paths.Skip(1).Select(p => p.Layer).ToArray(), inputs[0], lengthTensors[0]);
            python.Request(new { command = "mixed_load", lengths, inputs = Inputs, hidden = Hidden, seed = Seed });
            var ours = paths.Select(_ => new List<double>()).ToArray();
            var theirs = new Dictionary<string, List<double>> { ["padded"] = new(), ["packed"] = new() };
            for (int rep = 0; rep < Warmups + Repetitions; rep++)
            {
                for (int p = 0; p < paths.Length; p++)
                {
                    double seconds = TimeAll(paths[p].Layer, inputs, paths[p].UseLengths ? lengthTensors : null);
                    if (rep >= Warmups)
                    {
                        ours[p].Add(seconds * 1000);
                    }
                }

                foreach (string mode in theirs.Keys)
                {
                    double seconds = python.Request(new { command = "mixed_run", mode })["seconds"]!.GetValue<double>();
                    if (rep >= Warmups)
                    {
                        theirs[mode].Add(seconds * 1000);
                    }
                }
            }

            Timing padded = Timing.Of(ours[0]), packed = Timing.Of(ours[1]);
            for (int p = 0; p < paths.Length; p++)
            {
                Timing timing = Timing.Of(ours[p]);
                report.AddRow("mixed length BiLSTM fwd+bwd", paths[p].Name, timing, "ms/20 batches",
                    $"{padded.Median / timing.Median:0.00}× padded");
            }

            foreach ((string mode, List<double> samples) in theirs)
            {
                Timing timing = Timing.Of(samples);
                report.AddRow("mixed length BiLSTM fwd+bwd", $"pytorch {mode}", timing, "ms/20 batches",
                    $"{Timing.Of(theirs["padded"]).Median / timing.Median:0.00}× pytorch padded");
            }

            report.AddMetric("mixed_length_default_vs_padded_speedup", padded.Median / packed.Median);
        }
        finally
        {
            foreach (var path in paths)
            {
                path.Layer.Dispose();
            }

            foreach (Tensor t in inputs.Concat(lengthTensors))
            {
                t.Dispose();
            }
        }
    }

    private static Lstm Create(RecurrentKernel kernel, VariableLengthStrategy strategy, RandomGenerator? generator,
        RecurrentBackend backend = RecurrentBackend.Auto) =>
        new(new RecurrentLayerOptions
        {
            InputSize = Inputs, HiddenSize = Hidden, Bidirectional = true, Kernel = kernel, VariableLengths = strategy,
            Backend = backend,
        }, generator);

    private static double TimeAll(Lstm layer, Tensor[] inputs, Tensor[]? lengths)
    {
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < inputs.Length; b++)
        {
            using var scope = TensorScope.Begin();
            layer.ZeroGrad();
            RecurrentOutput output = layer.Forward(inputs[b], lengths?[b]);
            (output.Output.Sum() + output.FinalHidden.Sum()).Backward();
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static void ZeroGrad(this Lstm layer)
    {
        foreach (var parameter in layer.Parameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>The timed paths must compute the same thing: outputs and final states of batch 0 within 1e-4.</summary>
    private static void CheckPathsAgree(Lstm[] layers, Tensor input, Tensor lengths)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGradScope.Begin();
        RecurrentOutput reference = layers[0].Forward(input, lengths);
        foreach (Lstm layer in layers.Skip(1))
        {
            RecurrentOutput other = layer.Forward(input, lengths);
            double difference = Math.Max((reference.Output - other.Output).Abs().Max().ToScalar(),
                Math.Max((reference.FinalHidden - other.FinalHidden).Abs().Max().ToScalar(),
                    (reference.FinalCell! - other.FinalCell!).Abs().Max().ToScalar()));
            if (difference > 1e-4)
            {
                throw new InvalidOperationException($"The timed paths disagree on batch 0 (max difference {difference:E2}).");
            }
        }
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
