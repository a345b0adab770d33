using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>The captioner's use of the shared training loop: batches of whole images (all their captions), the teacher-forced
/// loss (with the scheduled-sampling ramp), and validation by BLEU-4 of greedy captions (reported as
/// <see cref="ValidationMetric.Accuracy"/>, the task's natural quality figure) and teacher-forced loss.</summary>
internal static class CaptionTraining
{
    public static TrainingHistory Train(CaptionNetwork network, ImageCaptionerOptions options, Vocabulary words, CaptionRows train,
        CaptionRows held, int batchSeed, Device device, IProgress<TrainingProgress>? progress, CancellationToken token)
    {
        long[][] trainKeys = Encode(train, words);
        long[][] heldKeys = Encode(held, words);
        var order = new Random(batchSeed);
        int[][] rowsOfImage = RowsOfImage(train);
        List<TorchSharp.Modules.Parameter> parameters = network.parameters().Where(p => p.requires_grad).ToList();
        using optim.Optimizer optimizer = OptimizerFactory.Create(options.Optimizer, parameters, options.LearningRate, options.WeightDecay);
        var loop = new TrainingLoop<CaptionBatch>
        {
            Model = network,
            Optimizer = optimizer,
            GradientClipNorm = options.GradientClipNorm,
            MaxEpochs = options.MaxEpochs,
            ReportEvery = options.ReportEvery,
            EarlyStopping = held.Count > 0 ? options.EarlyStopping : null,
            Progress = progress,
            CancellationToken = token,
            StopToken = options.StopToken,
        };

        double sampling = 0;
        IReadOnlyList<CaptionBatch> Batches(int epoch)
        {
            // The loop asks for an epoch's batches when the epoch starts: the scheduled-sampling ramp follows it.
            sampling = options.ScheduledSampling * (epoch - 1) / Math.Max(options.MaxEpochs - 1, 1);
            return ImageBatches(rowsOfImage, options.BatchSize, order).Select(rows => new CaptionBatch(rows, rows.Sum(r => (long)trainKeys[r].Length + 1),
                rows.Sum(r => (long)trainKeys[r].Count(k => k == words.UnknownKey)))).ToList();
        }

        Tensor Loss(CaptionBatch batch) => BatchLoss(network, train, trainKeys, batch.Rows, words, options, device, sampling, options.AttentionPenalty);

        Func<ValidationResult>? validate = held.Count == 0 ? null : () => Validate(network, options, words, held, heldKeys, device);
        return loop.Run(Batches, Loss, validate);
    }

    /// <summary>Caption keys per row (START and END not included; unknown words → UNK).</summary>
    public static long[][] Encode(CaptionRows rows, Vocabulary words) =>
        rows.Tokens.Select(t => t.Select(words.GetKey).ToArray()).ToArray();

    /// <summary>For each image, its rows.</summary>
    public static int[][] RowsOfImage(CaptionRows rows)
    {
        var lists = Enumerable.Range(0, rows.Images.Count).Select(_ => new List<int>()).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            lists[rows.ImageOfRow[r]].Add(r);
        }

        return lists.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>One epoch's batches: the images in an order drawn from <paramref name="random"/>, each batch taking whole
    /// images (all their captions) until it holds at least <paramref name="batchSize"/> rows, so that an image is
    /// encoded once per batch however many captions it has.</summary>
    public static List<int[]> ImageBatches(int[][] rowsOfImage, int batchSize, Random random)
    {
        int[] images = Enumerable.Range(0, rowsOfImage.Length).ToArray();
        random.Shuffle(images);
        var batches = new List<int[]>();
        var current = new List<int>();
        foreach (int image in images)
        {
            current.AddRange(rowsOfImage[image]);
            if (current.Count >= batchSize)
            {
                batches.Add(current.ToArray());
                current.Clear();
            }
        }

        if (current.Count > 0)
        {
            batches.Add(current.ToArray());
        }

        return batches;
    }

    /// <summary>The teacher-forced loss of rows <paramref name="batchRows"/>.</summary>
    public static Tensor BatchLoss(CaptionNetwork network, CaptionRows rows, long[][] keys, IReadOnlyList<int> batchRows, Vocabulary words,
        ImageCaptionerOptions options, Device device, double sampling, double penalty)
    {
        int steps = batchRows.Max(r => keys[r].Length) + 1;
        var inputs = new long[batchRows.Count * steps];
        var targets = new long[batchRows.Count * steps];
        for (int i = 0; i < batchRows.Count; i++)
        {
            long[] caption = keys[batchRows[i]];
            inputs[i * steps] = words.StartKey;
            for (int t = 0; t < caption.Length; t++)
            {
                inputs[i * steps + t + 1] = caption[t];
                targets[i * steps + t] = caption[t];
            }

            targets[i * steps + caption.Length] = words.EndKey;
        }

        // Each distinct image of the batch is encoded once; rows point at their image.
        var distinct = new Dictionary<int, long>();
        long[] imageOfRow = batchRows.Select(r => distinct.TryGetValue(rows.ImageOfRow[r], out long i) ? i
            : distinct[rows.ImageOfRow[r]] = distinct.Count).ToArray();
        Tensor images = ImagePixels.ToTensor(distinct.Keys.Select(i => rows.Images[i]).ToList(), options.ImageWidth, options.ImageHeight, device);
        return network.Loss(images, tensor(imageOfRow, device: device), tensor(inputs, [batchRows.Count, steps], device: device),
            tensor(targets, [batchRows.Count, steps], device: device), sampling, penalty);
    }

    /// <summary>Greedy captions of every validation image scored by corpus BLEU-4 against all its captions, and the mean
    /// teacher-forced loss of the validation rows. Runs under the loop's no-grad and evaluation mode.</summary>
    public static ValidationResult Validate(CaptionNetwork network, ImageCaptionerOptions options, Vocabulary words, CaptionRows held,
        long[][] heldKeys, Device device)
    {
        IReadOnlyList<string>[][] references = held.References();
        var counter = new BleuCounter();
        for (int start = 0; start < held.Images.Count; start += options.PredictionBatchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(options.PredictionBatchSize, held.Images.Count - start);
            Tensor images = ImagePixels.ToTensor(held.Images.Skip(start).Take(count).ToList(), options.ImageWidth, options.ImageHeight, device);
            DecodedCaption[] captions = CaptionDecoding.Greedy(network, images, words.StartKey, words.EndKey, options.MaxCaptionLength);
            for (int i = 0; i < count; i++)
            {
                counter.Add(captions[i].Keys.Select(k => words.GetValue(k)).ToArray(), references[start + i]);
            }
        }

        double lossSum = 0;
        long tokens = 0;
        for (int start = 0; start < held.Count; start += options.PredictionBatchSize)
        {
            using var scope = NewDisposeScope();
            int[] rows = Enumerable.Range(start, Math.Min(options.PredictionBatchSize, held.Count - start)).ToArray();
            long batchTokens = rows.Sum(r => (long)heldKeys[r].Length + 1);
            lossSum += BatchLoss(network, held, heldKeys, rows, words, options, device, 0, 0).ToDouble() * batchTokens;
            tokens += batchTokens;
        }

        double bleu = counter.ToMetrics().Bleu4;
        return new ValidationResult(lossSum / Math.Max(tokens, 1), bleu, double.NaN);
    }
}
