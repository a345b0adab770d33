using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Batching;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.SequenceTagging;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>
/// The POS tagger of samples/PosTagging (default options: word embedding 100, character BiLSTM 32→32×2, 2-layer BiLSTM
/// 128×2, dropout 0.33, softmax, Adam 2e-3, clip 5, batch 32) trained on UD EWT, ours against the same model in PyTorch
/// (python/ewt_tagger.py). Both sides use our vocabularies and our length-bucketed batches of epoch 1 (exported to a
/// file), pack the character and sentence LSTMs the same way, and print their parameter counts (the run fails if they
/// differ). Timed: the first 60 batches of the epoch, end to end (padding the encoded sentences into
/// tensors + forward + backward + clipping + step) and model only (the same with the tensors built beforehand).
/// </summary>
internal static class EwtTaggerBenchmark
{
    private const int Warmups = 1;

    public static void Run(PythonWorker python, Report report)
    {
        int repetitions = BenchmarkRun.Count(3, 1), batchCount = BenchmarkRun.Count(60, 10);
        string path = DataLocator.GetPath(Path.Combine("ud-english-ewt", "en_ewt-ud-train.conllu"));
        var options = new RecurrentSequenceTaggerOptions();
        var ml = new MLContext(seed: 1);
        IDataView view = ml.Data.LoadFromConllU(path);
        List<string[]> tokens = view.GetColumn<string[]>("Tokens").ToList();
        List<string[]> tags = view.GetColumn<string[]>("Upos").ToList();
        // Tag classes in order of first appearance, as MapValueToKey numbers them.
        var tagVocabulary = new Vocabulary(tags.SelectMany(t => t).Distinct(StringComparer.Ordinal));
        TaggerVocabularies vocabularies = TaggerVocabularies.Build(tokens, tagVocabulary, options);
        EncodedSentence[] sentences = tokens.Select((t, i) => vocabularies.Encode(t, tags[i].Select(tag => tagVocabulary.GetKey(tag) - 1).ToArray())).ToArray();
        var batcher = new LengthBucketBatcher(sentences.Select(s => s.Length).ToArray(), new LengthBucketBatcherOptions { BatchSize = options.BatchSize }, seed: 1);
        IReadOnlyList<int[]> epoch = batcher.GetBatches(0);
        EncodedSentence[][] batches = epoch.Take(batchCount).Select(rows => rows.Select(r => sentences[r]).ToArray()).ToArray();
        long tokenCount = batches.Sum(b => b.Sum(s => (long)s.Length));
        Console.WriteLine($"ewt tagger: {batchCount} of {epoch.Count} batches of epoch 1 ({batches.Sum(b => b.Length)} sentences, {tokenCount:N0} tokens); " +
            $"vocabularies {vocabularies.Words.Count} words, {vocabularies.Characters.Count} characters, {vocabularies.TagCount} tags");

        using var generator = new Generator(1);
        using var network = new TaggerNetwork(options, vocabularies, generator);
        network.train();
        long ourParameters = network.parameters().Sum(p => p.numel());
        string file = Path.Combine(Path.GetTempPath(), $"mls-bench-ewt-{Environment.ProcessId}.json");
        try
        {
            Export(file, options, vocabularies, batches);
            long theirParameters = python.Request(new { command = "ewt_load", path = file })["parameters"]!.GetValue<long>();
            Console.WriteLine($"parameters: ours {ourParameters:N0}, pytorch {theirParameters:N0}");
            if (theirParameters != ourParameters)
            {
                throw new InvalidOperationException("The two taggers differ in parameter count; the comparison would be meaningless.");
            }
        }
        finally
        {
            File.Delete(file);
        }

        using var optimizer = torch.optim.Adam(network.parameters(), options.LearningRate);
        TaggerBatchTensors[] prebuilt = batches.Select(b => TaggerBatchTensors.Create(b, characters: true, targets: true, torch.CPU)).ToArray();
        try
        {
            var ourEnd = new List<double>();
            var ourModel = new List<double>();
            var theirEnd = new List<double>();
            var theirModel = new List<double>();
            for (int rep = 0; rep < Warmups + repetitions; rep++)
            {
                // The side that runs first alternates every repetition.
                JsonNode? reply = rep % 2 == 1 ? python.Request(new { command = "ewt_run" }) : null;
                var watch = Stopwatch.StartNew();
                foreach (EncodedSentence[] batch in batches)
                {
                    using var scope = torch.NewDisposeScope();
                    Step(network, optimizer, options, TaggerBatchTensors.Create(batch, characters: true, targets: true, torch.CPU));
                }

                double end = watch.Elapsed.TotalSeconds;
                watch.Restart();
                foreach (TaggerBatchTensors batch in prebuilt)
                {
                    using var scope = torch.NewDisposeScope();
                    Step(network, optimizer, options, batch);
                }

                double model = watch.Elapsed.TotalSeconds;
                reply ??= python.Request(new { command = "ewt_run" });
                Console.WriteLine($"  rep {rep + 1}: ours {end:0.00} s end to end, {model:0.00} s model only; " +
                    $"pytorch {reply["end_to_end"]!.GetValue<double>():0.00} s, {reply["model_only"]!.GetValue<double>():0.00} s");
                if (rep >= Warmups)
                {
                    ourEnd.Add(end);
                    ourModel.Add(model);
                    theirEnd.Add(reply["end_to_end"]!.GetValue<double>());
                    theirModel.Add(reply["model_only"]!.GetValue<double>());
                }
            }

            string note = $"{batchCount} of {epoch.Count} batches (1 epoch ≈ {epoch.Count / (double)batchCount:0.0}×)";
            report.AddRow("ewt tagger end-to-end", "ours", Timing.Of(ourEnd), "s", note);
            report.AddRow("ewt tagger end-to-end", "pytorch", Timing.Of(theirEnd), "s", note);
            report.AddRow("ewt tagger model only", "ours", Timing.Of(ourModel), "s", note);
            report.AddRow("ewt tagger model only", "pytorch", Timing.Of(theirModel), "s", note);
            report.AddMetric("ewt_epoch_speedup_vs_pytorch", Timing.Of(theirModel).Median / Timing.Of(ourModel).Median);
        }
        finally
        {
            foreach (TaggerBatchTensors t in prebuilt)
            {
                foreach (Tensor? tensor in new[] { t.Words, t.Characters, t.CharacterLengths, t.Lengths, t.Targets })
                {
                    tensor?.Dispose();
                }
            }
        }
    }

    private static void Step(TaggerNetwork network, optim.Optimizer optimizer, RecurrentSequenceTaggerOptions options, TaggerBatchTensors batch)
    {
        optimizer.zero_grad();
        Tensor loss = network.Loss(batch);
        loss.backward();
        nn.utils.clip_grad_norm_(network.parameters(), options.GradientClipNorm);
        optimizer.step();
        _ = loss.item<float>();
    }

    /// <summary>Sizes, hyper-parameters and the encoded batches (word keys, character keys per word, tag classes).</summary>
    private static void Export(string file, RecurrentSequenceTaggerOptions options, TaggerVocabularies vocabularies, EncodedSentence[][] batches)
    {
        var document = new
        {
            config = new
            {
                words = vocabularies.Words.EmbeddingRows,
                characters = vocabularies.Characters.EmbeddingRows,
                tags = vocabularies.TagCount,
                word_size = options.WordEmbeddingSize,
                character_size = options.CharacterEmbeddingSize,
                character_hidden = options.CharacterHiddenSize,
                hidden = options.HiddenSize,
                layers = options.LayerCount,
                dropout = options.Dropout,
                learning_rate = options.LearningRate,
                clip = options.GradientClipNorm,
            },
            batches = batches.Select(b => b.Select(s => new { w = s.Words, c = s.Characters, t = s.Tags })),
        };
        using FileStream stream = File.Create(file);
        JsonSerializer.Serialize(stream, document);
    }
}
