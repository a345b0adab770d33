using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Sequence.Estimators.TextClassification;
using Microsoft.ML.Sequence.Estimators.Training;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// The sentiment classifier's training epoch, ours (<c>ml.BinaryClassification.Trainers.RecurrentTextClassifier</c>
/// with the library's defaults: embedding 300, BiLSTM 256/direction, max pooling, dropout 0.5, Adam 2e-3, batch 64,
/// clip 5) against the same model in PyTorch (python/worker.py), on the first 12,800 rows of SST-2 train read by ML.NET's
/// <c>LoadFromTextFile</c>. Both sides tokenise with the same rules, build the same vocabulary (checked), train on the
/// same batches in the same order (ours, exported: the batch plan follows from the documented seed derivation of
/// <see cref="RecurrentTextClassifierOptions.Seed"/>), pack the same way, and must have the same parameter count.
/// End-to-end = tokenise + vocabulary + batching + model + one epoch; model-only = the optimiser steps (batch tensors,
/// forward, backward, clipping, update), on our side the epoch's <see cref="EpochSummary.StepTime"/>. The training
/// loop's own share: 1 − StepTime / <see cref="EpochSummary.Duration"/> of the same epoch (no validation). Repetitions
/// alternate which side runs first. Then prediction: our batched <c>Transform</c> over SST-2 dev (a cursor to the end,
/// reading Score) against PyTorch scoring the same batches with the same weights, read from our saved model.zip's
/// safetensors entry (its scores must match ours), and single-sentence latency through a prediction engine.
/// </summary>
internal static class Sst2ClassifierBenchmark
{
    private const int Seed = 123;

    public static void Run(PythonWorker python, Report report)
    {
        int repetitions = BenchmarkRun.Count(3, 1), rows = BenchmarkRun.Count(12_800, 1_280);
        var ml = new MLContext(Seed);
        string trainPath = DataLocator.GetPath("sst2/train.tsv"), devPath = DataLocator.GetPath("sst2/dev.tsv");
        IDataView train = ml.Data.Cache(ml.Data.TakeRows(ml.Data.LoadFromTextFile<Sentence>(trainPath, '\t', hasHeader: true, allowQuoting: false), rows));
        IDataView dev = ml.Data.Cache(ml.Data.LoadFromTextFile<Sentence>(devPath, '\t', hasHeader: true, allowQuoting: false));
        var options = new RecurrentTextClassifierOptions { MaxEpochs = 1, ValidationFraction = 0, EarlyStopping = null, Seed = Seed, ReportEvery = 0 };
        Console.WriteLine($"sst2 classifier: first {rows:N0} rows of SST-2 train, one epoch per repetition, batch {options.BatchSize}, " +
            $"embedding {options.EmbeddingSize}, bi{options.Cell} {options.HiddenSize}, {options.Pooling} pooling");

        // Warm-up (JIT, allocator) on a few rows, not timed.
        ml.BinaryClassification.Trainers.RecurrentTextClassifier(options).Fit(ml.Data.TakeRows(train, 640)).Dispose();

        TextClassifierTransformer? model = null;
        var ourFit = new List<double>();
        var ourEpoch = new List<double>();
        var overhead = new List<double>();
        var ourModel = new List<double>();
        var theirEpoch = new List<double>();
        var theirModel = new List<double>();
        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-sst2-{Environment.ProcessId}");
        try
        {
            for (int rep = 0; rep < repetitions; rep++)
            {
                // Rep 1 runs ours first (PyTorch needs our batch plan); afterwards the sides alternate.
                JsonNode? reply = null;
                if (rep > 0 && rep % 2 == 1)
                {
                    reply = python.Request(new { command = "sst2_epoch" });
                }

                model?.Dispose();
                var clock = Stopwatch.StartNew();
                model = ml.BinaryClassification.Trainers.RecurrentTextClassifier(options).Fit(train);
                ourFit.Add(clock.Elapsed.TotalSeconds);
                EpochSummary epoch = model.History!.Epochs[0];
                ourEpoch.Add(epoch.Duration.TotalSeconds);
                ourModel.Add(epoch.StepTime.TotalSeconds);
                overhead.Add(1 - epoch.StepTime.TotalSeconds / epoch.Duration.TotalSeconds);
                if (rep == 0)
                {
                    Export(ml, folder, train, model, options);
                    var loaded = python.Request(new { command = "sst2_load", file = Path.Combine(folder, "sst2.json") });
                    long theirVocabulary = loaded["vocabulary"]!.GetValue<long>(), theirParameters = loaded["parameters"]!.GetValue<long>();
                    Console.WriteLine($"vocabulary: ours {model.Vocabulary.Count:N0}, pytorch {theirVocabulary:N0}; parameters: ours {model.ParameterCount:N0}, pytorch {theirParameters:N0}");
                    if (theirVocabulary != model.Vocabulary.Count || theirParameters != model.ParameterCount)
                    {
                        throw new InvalidOperationException("The two sides differ in vocabulary or parameter count; the comparison would be meaningless.");
                    }
                }

                reply ??= python.Request(new { command = "sst2_epoch" });
                theirEpoch.Add(reply["seconds"]!.GetValue<double>());
                theirModel.Add(reply["model_seconds"]!.GetValue<double>());
                Console.WriteLine(FormattableString.Invariant(
                    $"  rep {rep + 1}: ours fit {ourFit[^1]:0.0} s, epoch {ourEpoch[^1]:0.00} s of which model steps {ourModel[^1]:0.00} s (outside {overhead[^1]:P3}); pytorch {theirEpoch[^1]:0.0} s ({theirModel[^1]:0.0} s model); loss ours {epoch.TrainingLoss:0.0000} pytorch {reply["loss"]!.GetValue<double>():0.0000}"));
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        string note = $"{rows:N0} SST-2 rows, {(rows + options.BatchSize - 1) / options.BatchSize} batches, identical batches";
        Timing ourE2e = Timing.Of(ourFit), theirE2e = Timing.Of(theirEpoch), ourSteps = Timing.Of(ourModel), theirSteps = Timing.Of(theirModel);
        Timing outside = Timing.Of(overhead);
        report.AddRow("sst2 classifier epoch, end-to-end", "ours", ourE2e, "s", note + "; Fit: tokenise + vocabulary + batching + epoch");
        report.AddRow("sst2 classifier epoch, end-to-end", "pytorch", theirE2e, "s", note + "; tokenise + vocabulary + batching + epoch");
        report.AddRow("sst2 epoch, training loop", "ours", Timing.Of(ourEpoch), "s", "EpochSummary.Duration: the epoch's wall time");
        report.AddRow("sst2 epoch outside model steps", "ours", outside, "fraction", FormattableString.Invariant(
            $"1 − StepTime / Duration = {outside.Median:P3}; StepTime holds batch tensors + forward + backward + clip + step"));
        report.AddRow("sst2 classifier epoch, model only", "ours", ourSteps, "s", "forward + backward + clip + step");
        report.AddRow("sst2 classifier epoch, model only", "pytorch", theirSteps, "s", "forward + backward + clip + step");
        report.AddMetric("sst2_epoch_speedup_vs_pytorch", theirSteps.Median / ourSteps.Median);
        report.AddMetric("training_loop_overhead_fraction", outside.Median);

        using (model)
        {
            Predictions(ml, python, model!, dev, options, report);
        }
    }

    private static void Predictions(MLContext ml, PythonWorker python, TextClassifierTransformer model, IDataView dev,
        RecurrentTextClassifierOptions options, Report report)
    {
        // PyTorch gets the saved model itself: ml.Model.Save's zip, whose weights entry is safetensors with PyTorch names.
        string folder = Path.Combine(Path.GetTempPath(), $"mls-bench-sst2-predict-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        List<string> texts = ml.Data.CreateEnumerable<Sentence>(dev, reuseRowObject: false).Select(s => s.Text).ToList();
        try
        {
            string modelPath = Path.Combine(folder, "model.zip");
            ml.Model.Save(model, dev.Schema, modelPath);
            var config = new { embedding = options.EmbeddingSize, hidden = options.HiddenSize, dropout = options.Dropout, classes = model.Classes.Count };
            var vocabulary = Enumerable.Range(1, (int)model.Vocabulary.Count).Select(k => model.Vocabulary.GetValue(k)).ToArray();
            string request = Path.Combine(folder, "predict.json");
            File.WriteAllText(request, JsonSerializer.Serialize(new { model = modelPath, config, vocabulary, texts, batch = options.PredictionBatchSize }));
            long theirParameters = python.Request(new { command = "sst2_predict_load", file = request })["parameters"]!.GetValue<long>();
            if (theirParameters != model.ParameterCount)
            {
                throw new InvalidOperationException($"PyTorch loaded {theirParameters:N0} parameters from the model.zip, ours has {model.ParameterCount:N0}.");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var ours = new List<double>();
        var theirs = new List<double>();
        float[] ourScores = [];
        double[] theirScores = [];
        int repetitions = BenchmarkRun.Count(5, 1);
        for (int rep = 0; rep < 1 + repetitions; rep++)
        {
            // Repetition 0 warms both sides up; afterwards the side that goes first alternates.
            for (int turn = 0; turn < 2; turn++)
            {
                if (BenchmarkRun.Rotate(turn, rep, 2) == 0)
                {
                    var clock = Stopwatch.StartNew();
                    ourScores = ScoreAll(model.Transform(dev));
                    if (rep > 0)
                    {
                        ours.Add(clock.Elapsed.TotalSeconds);
                    }
                }
                else
                {
                    JsonNode reply = python.Request(new { command = "sst2_predict" });
                    theirScores = reply["margins"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                    if (rep > 0)
                    {
                        theirs.Add(reply["seconds"]!.GetValue<double>());
                    }
                }
            }
        }

        if (theirScores.Length != ourScores.Length)
        {
            throw new InvalidOperationException($"PyTorch scored {theirScores.Length} dev rows, ours {ourScores.Length}.");
        }

        double maxDifference = ourScores.Zip(theirScores).Max(p => Math.Abs(p.First - p.Second));
        Timing ourTime = Timing.Of(ours), theirTime = Timing.Of(theirs);
        string note = FormattableString.Invariant(
            $"{texts.Count} dev sentences, batches of {options.PredictionBatchSize}, tokenise + score; max |Score ours − pytorch| {maxDifference:0.0e0}");
        report.AddRow("sst2 dev prediction, batched Transform", "ours", ourTime, "s", note + "; cursor to the end reading Score");
        report.AddRow("sst2 dev prediction, batched Transform", "pytorch", theirTime, "s", note + "; weights from our model.zip (safetensors)");
        report.AddMetric("sst2_prediction_speedup_vs_pytorch", theirTime.Median / ourTime.Median);
        report.AddMetric("sst2_prediction_sentences_per_second", texts.Count / ourTime.Median);
        report.AddMetric("safetensors_python_read_equal", maxDifference < 1e-4 ? 1 : 0);

        List<Sentence> sentences = ml.Data.CreateEnumerable<Sentence>(dev, reuseRowObject: false).Take(300).ToList();
        using var engine = ml.Model.CreatePredictionEngine<Sentence, Scored>(model);
        foreach (Sentence sentence in sentences.Take(20))
        {
            engine.Predict(sentence);
        }

        var latencies = new List<double>();
        foreach (Sentence sentence in sentences)
        {
            var clock = Stopwatch.StartNew();
            engine.Predict(sentence);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        double[] sorted = latencies.Order().ToArray();
        double p50 = sorted[sorted.Length / 2], p99 = sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1];
        report.AddRow("sst2 single-sentence latency p50", "ours", new Timing(p50, sorted[0], sorted[^1], sorted.Length), "ms", "prediction engine, one dev sentence per call");
        report.AddRow("sst2 single-sentence latency p99", "ours", new Timing(p99, sorted[0], sorted[^1], sorted.Length), "ms", "prediction engine, one dev sentence per call");
        report.AddMetric("prediction_engine_p50_ms", p50);
        report.AddMetric("prediction_engine_p99_ms", p99);
    }

    /// <summary>Moves a cursor over the scored view to the end, reading every row's Score.</summary>
    private static float[] ScoreAll(IDataView scored)
    {
        var scores = new List<float>(1_000);
        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name == "Score"));
        ValueGetter<float> score = cursor.GetGetter<float>(scored.Schema["Score"]);
        float value = 0;
        while (cursor.MoveNext())
        {
            score(ref value);
            scores.Add(value);
        }

        return scores.ToArray();
    }

    /// <summary>Texts, labels, hyper-parameters and our first epoch's batch plan (row indices, in training order).</summary>
    private static void Export(MLContext ml, string folder, IDataView train, TextClassifierTransformer model, RecurrentTextClassifierOptions options)
    {
        Directory.CreateDirectory(folder);
        List<Sentence> rows = ml.Data.CreateEnumerable<Sentence>(train, reuseRowObject: false).ToList();
        List<string> texts = rows.Select(r => r.Text).ToList();
        List<int> labels = rows.Select(r => r.Label ? 1 : 0).ToList();

        // The documented derivation: new Random(Seed) gives the split seed, then the batch seed.
        var seeds = new Random(options.Seed!.Value);
        _ = seeds.Next();
        int batchSeed = seeds.Next();
        int[] lengths = texts.Select(t => Math.Max(1, model.Tokenize(t).Length)).ToArray();
        IReadOnlyList<int[]> batches = new LengthBucketBatcher(lengths, new LengthBucketBatcherOptions { BatchSize = options.BatchSize }, batchSeed).GetBatches(0);
        var config = new
        {
            embedding = options.EmbeddingSize, hidden = options.HiddenSize, dropout = options.Dropout, learning_rate = options.LearningRate,
            clip = options.GradientClipNorm, classes = model.Classes.Count,
        };
        File.WriteAllText(Path.Combine(folder, "sst2.json"), JsonSerializer.Serialize(new { config, texts, labels, batches }));
    }

    /// <summary>An SST-2 row as the files hold it: label, then sentence.</summary>
    private sealed class Sentence
    {
        [LoadColumn(0)]
        public bool Label { get; set; }

        [LoadColumn(1)]
        public string Text { get; set; } = "";
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }
}
