using System.Diagnostics;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>CTC decoding speed: best path and prefix beam search (width 16) with a character 5-gram Kneser–Ney model,
/// in lines per second on one thread. <see cref="Run(Report, IReadOnlyList{float[]}, string, CharacterLanguageModel, string, string)"/>
/// times any frames (a recogniser's row calls it with its network's outputs); the <c>ctc-decoding</c> row of this program
/// times synthetic frames made from SST-2 dev sentences.</summary>
internal static class CtcDecodingBenchmark
{
    /// <summary>The <c>ctc-decoding</c> row: synthetic frames (seed 1) for the 872 SST-2 dev sentences and a model
    /// trained on SST-2 train.</summary>
    public static void Run(Report report)
    {
        string[] train = Sentences("sst2/train.tsv");
        string[] dev = Sentences("sst2/dev.tsv");
        var watch = Stopwatch.StartNew();
        CharacterLanguageModel lm = CharacterLanguageModel.Train(train);
        double trainSeconds = watch.Elapsed.TotalSeconds;
        string alphabet = new(train.Concat(dev).SelectMany(s => s).Distinct().Order().ToArray());
        var random = new Random(1);
        List<float[]> frames = dev.Select(s => SyntheticFrames(s, alphabet, random)).ToList();
        report.AddRow("ctc char 5-gram KN train, SST-2 train", "ours", new Timing(trainSeconds, trainSeconds, trainSeconds, 1), "s",
            $"{train.Length:N0} lines, {train.Sum(s => s.Length + 1):N0} symbols");
        Run(report, frames, alphabet, lm, "ctc_decoding_synthetic", "synthetic SST-2 dev frames");
    }

    /// <summary>Times both decoders over <paramref name="lines"/> and reports lines/s as
    /// <c>{metricPrefix}_best_path_lines_per_second</c> and <c>{metricPrefix}_beam16_lm_lines_per_second</c>.</summary>
    public static void Run(Report report, IReadOnlyList<float[]> lines, string alphabet, CharacterLanguageModel lm, string metricPrefix, string source)
    {
        int repetitions = BenchmarkRun.Count(7, 1);
        long frames = lines.Sum(l => (long)l.Length / (alphabet.Length + 1));
        var decoder = new CtcPrefixBeamDecoder(alphabet, new CtcBeamSearchOptions { BeamWidth = 16 }, lm);
        var bestPath = new List<double>();
        var beam = new List<double>();
        for (int rep = 0; rep < 1 + repetitions; rep++)
        {
            var watch = Stopwatch.StartNew();
            CtcBatchDecoding.BestPath(lines, alphabet);
            double best = watch.Elapsed.TotalSeconds;
            watch.Restart();
            CtcBatchDecoding.Beam(lines, decoder);
            double searched = watch.Elapsed.TotalSeconds;
            if (rep > 0)
            {
                bestPath.Add(lines.Count / best);
                beam.Add(lines.Count / searched);
            }
        }

        string note = $"{lines.Count} lines, {frames / Math.Max(1, lines.Count)} frames/line, {alphabet.Length + 1} classes, {source}, 1 thread";
        report.AddRow("ctc best path", "ours", Timing.Of(bestPath), "lines/s", note);
        report.AddRow("ctc prefix beam 16 + char 5-gram LM", "ours", Timing.Of(beam), "lines/s", note);
        report.AddMetric($"{metricPrefix}_best_path_lines_per_second", Timing.Of(bestPath).Median);
        report.AddMetric($"{metricPrefix}_beam16_lm_lines_per_second", Timing.Of(beam).Median);
    }

    /// <summary>Frames like a trained recogniser's for <paramref name="text"/>: 1–3 frames per character and 1–2 blanks
    /// after each; a frame's own class gets 0.55–0.999 (blank frames 0.8–0.999), a confusable class most of the rest (in
    /// character frames any character, in blank frames the previous or next character, as CTC spikes leak), and a tail
    /// of tiny probabilities (weights u⁶) the remaining 5%.</summary>
    internal static float[] SyntheticFrames(string text, string alphabet, Random random)
    {
        int classes = alphabet.Length + 1;
        var path = new List<int> { 0 };
        foreach (char c in text)
        {
            path.AddRange(Enumerable.Repeat(alphabet.IndexOf(c, StringComparison.Ordinal) + 1, random.Next(1, 4)));
            path.AddRange(Enumerable.Repeat(0, random.Next(1, 3)));
        }

        var scores = new float[path.Count * classes];
        var p = new double[classes];
        for (int t = 0; t < path.Count; t++)
        {
            double top = path[t] == 0 ? 0.8 + 0.199 * random.NextDouble() : 0.55 + 0.449 * random.NextDouble();
            for (int k = 0; k < classes; k++)
            {
                p[k] = Math.Pow(random.NextDouble(), 6);
            }

            double tail = p.Sum();
            for (int k = 0; k < classes; k++)
            {
                p[k] *= (1 - top) * 0.05 / tail;
            }

            p[path[t]] += top;
            p[Confusable(path, t, classes, random)] += (1 - top) * 0.95;
            for (int k = 0; k < classes; k++)
            {
                scores[t * classes + k] = (float)Math.Log(p[k]);
            }
        }

        return scores;
    }

    private static int Confusable(List<int> path, int t, int classes, Random random)
    {
        if (path[t] != 0)
        {
            return random.Next(1, classes);
        }

        int before = t, after = t;
        while (before > 0 && path[before] == 0)
        {
            before--;
        }

        while (after < path.Count - 1 && path[after] == 0)
        {
            after++;
        }

        int neighbour = random.Next(2) == 0 ? path[before] : path[after];
        return neighbour != 0 ? neighbour : random.Next(1, classes);
    }

    private static string[] Sentences(string file) => File.ReadLines(DataLocator.GetPath(file)).Skip(1)
        .Select(line => line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..]).Where(s => s.Length > 0).ToArray();
}
