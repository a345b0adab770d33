using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Torch;

namespace SentimentClassification;

/// <summary>The comparison baseline: logistic regression on bag-of-words counts (a linear layer on token counts,
/// softmax over two classes), trained full-batch with Adam on our own tensors. Fixed settings, never tuned on test data.</summary>
internal static class BagOfWordsBaseline
{
    private const int Steps = 300;
    private const double LearningRate = 0.02, WeightDecay = 1e-4;

    /// <summary>Trains on <paramref name="train"/> and returns the accuracy on <paramref name="test"/>.</summary>
    public static double TrainAndScore(IReadOnlyList<(string[] Tokens, bool Label)> train, IReadOnlyList<(string[] Tokens, bool Label)> test, ulong seed)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string[] tokens, _) in train)
        {
            foreach (string token in tokens)
            {
                vocabulary.TryAdd(token, vocabulary.Count);
            }
        }

        using var generator = new RandomGenerator(seed);
        using var model = new Linear(vocabulary.Count, 2, generator: generator);
        using var optimizer = new AdamOptimizer(model.Parameters(), LearningRate, weightDecay: WeightDecay);
        using Tensor x = Counts(train, vocabulary);
        using Tensor y = Tensor.From(train.Select(r => r.Label ? 1L : 0L).ToArray());
        for (int step = 0; step < Steps; step++)
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            Tensor loss = Losses.CrossEntropy(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
        }

        using var noGrad = NoGradScope.Begin();
        using var testScope = TensorScope.Begin();
        long[] predicted = model.Forward(Counts(test, vocabulary)).ArgMax(-1).ToArray<long>();
        return test.Where((row, i) => (predicted[i] == 1) == row.Label).Count() / (double)test.Count;
    }

    private static Tensor Counts(IReadOnlyList<(string[] Tokens, bool Label)> rows, Dictionary<string, int> vocabulary)
    {
        var counts = new float[rows.Count * vocabulary.Count];
        for (int row = 0; row < rows.Count; row++)
        {
            foreach (string token in rows[row].Tokens)
            {
                if (vocabulary.TryGetValue(token, out int column))
                {
                    counts[row * vocabulary.Count + column]++;
                }
            }
        }

        return Tensor.From<float>(counts, [rows.Count, vocabulary.Count]);
    }
}
