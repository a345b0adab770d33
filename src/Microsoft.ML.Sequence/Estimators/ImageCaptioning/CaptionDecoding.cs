using Microsoft.ML.Sequence.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>One decoded caption in keys: the generated word keys (END left out), the attention weights [L] of the step
/// that generated each, and the log-probability (END included when generated).</summary>
internal sealed record DecodedCaption(long[] Keys, float[][] Weights, double LogProbability);

/// <summary>Greedy and beam-search decoding of a <see cref="CaptionNetwork"/>, from START until END or the length
/// limit. PAD and START are never generated. Beam search with width 1 returns exactly the greedy caption.</summary>
internal static class CaptionDecoding
{
    /// <summary>Greedy decoding of a batch of images [B, 3, H, W]: at each step every row takes its most probable word.</summary>
    public static DecodedCaption[] Greedy(CaptionNetwork network, Tensor images, long startKey, long endKey, int maxLength)
    {
        using var scope = NewDisposeScope();
        DecoderState state = network.Start(images);
        int rows = (int)images.shape[0];
        Tensor banned = Banned(network, startKey, images.device);
        var keys = Enumerable.Range(0, rows).Select(_ => new List<long>()).ToArray();
        var weights = Enumerable.Range(0, rows).Select(_ => new List<float[]>()).ToArray();
        var logProbabilities = new double[rows];
        var finished = new bool[rows];
        Tensor previous = full([rows], startKey, ScalarType.Int64, images.device);
        for (int t = 0; t < maxLength && finished.Contains(false); t++)
        {
            (Tensor logits, Tensor stepWeights, state) = network.Step(previous, state);
            Tensor logp = logits.masked_fill(banned, double.NegativeInfinity).log_softmax(-1);
            (Tensor best, Tensor next) = logp.max(-1);
            long[] chosen = TensorValues.ToArray<long>(next);
            float[] scores = TensorValues.ToArray<float>(best);
            float[] w = TensorValues.ToArray<float>(stepWeights);
            int regions = (int)stepWeights.shape[1];
            for (int i = 0; i < rows; i++)
            {
                if (finished[i])
                {
                    continue;
                }

                logProbabilities[i] += scores[i];
                if (chosen[i] == endKey)
                {
                    finished[i] = true;
                    continue;
                }

                keys[i].Add(chosen[i]);
                weights[i].Add(w.AsSpan(i * regions, regions).ToArray());
            }

            previous = next;
        }

        return Enumerable.Range(0, rows).Select(i => new DecodedCaption(keys[i].ToArray(), weights[i].ToArray(), logProbabilities[i])).ToArray();
    }

    /// <summary>Beam search over a batch of images, one image at a time: keeps the <paramref name="width"/> most probable
    /// unfinished captions; a candidate that ends (END) joins the finished ones; stops when <paramref name="width"/>
    /// captions have finished or the length limit is reached (the unfinished ones then count as finished). The result
    /// is the finished caption with the best log P / (length + 1)^α (length in words, + 1 for END).</summary>
    public static DecodedCaption[] Beam(CaptionNetwork network, Tensor images, long startKey, long endKey, int maxLength, int width,
        double lengthNormalization)
    {
        using var scope = NewDisposeScope();
        DecoderState all = network.Start(images);
        Tensor banned = Banned(network, startKey, images.device);
        var results = new DecodedCaption[images.shape[0]];
        for (int image = 0; image < results.Length; image++)
        {
            using var imageScope = NewDisposeScope();
            DecoderState state = all.Select(tensor(new long[] { image }, device: images.device));
            var live = new List<DecodedCaption> { new([], [], 0) };
            var finished = new List<DecodedCaption>();
            for (int t = 0; t < maxLength && live.Count > 0 && finished.Count < width; t++)
            {
                Tensor previous = tensor(live.Select(h => h.Keys.Length == 0 ? startKey : h.Keys[^1]).ToArray(), device: images.device);
                (Tensor logits, Tensor stepWeights, state) = network.Step(previous, state);
                Tensor logp = logits.masked_fill(banned, double.NegativeInfinity).log_softmax(-1);
                Tensor totals = logp + tensor(live.Select(h => (float)h.LogProbability).ToArray(), device: images.device).unsqueeze(1);
                long vocabulary = logp.shape[1];
                (Tensor values, Tensor indices) = totals.reshape(-1).topk((int)Math.Min(2L * width, totals.numel()));
                float[] scores = TensorValues.ToArray<float>(values);
                long[] flat = TensorValues.ToArray<long>(indices);
                float[] w = TensorValues.ToArray<float>(stepWeights);
                int regions = (int)stepWeights.shape[1];
                var next = new List<DecodedCaption>();
                var parents = new List<long>();
                for (int c = 0; c < flat.Length && next.Count < width; c++)
                {
                    int parent = (int)(flat[c] / vocabulary);
                    long word = flat[c] % vocabulary;
                    DecodedCaption origin = live[parent];
                    if (word == endKey)
                    {
                        finished.Add(origin with { LogProbability = scores[c] });
                        continue;
                    }

                    float[] stepRow = w.AsSpan(parent * regions, regions).ToArray();
                    next.Add(new DecodedCaption(origin.Keys.Append(word).ToArray(), origin.Weights.Append(stepRow).ToArray(), scores[c]));
                    parents.Add(parent);
                }

                live = next;
                if (live.Count > 0)
                {
                    state = state.Select(tensor(parents.ToArray(), device: images.device));
                }
            }

            if (finished.Count < width)
            {
                // The length limit stopped the search: unfinished captions compete as they are.
                finished.AddRange(live);
            }

            results[image] = finished.MaxBy(h => h.LogProbability / Math.Pow(h.Keys.Length + 1, lengthNormalization))!;
        }

        return results;
    }

    /// <summary>True at the keys decoding never emits: PAD (0) and START.</summary>
    private static Tensor Banned(CaptionNetwork network, long startKey, Device device)
    {
        var banned = new bool[network.VocabularyRows];
        banned[0] = true;
        banned[startKey] = true;
        return tensor(banned, device: device);
    }
}
