using TorchSharp;
using static TorchSharp.torch;

namespace SentimentClassification;

/// <summary>The comparison baseline: logistic regression on bag-of-words counts (a linear layer on token counts,
/// softmax over two classes), trained full-batch with TorchSharp's Adam. Fixed settings, never tuned on test data.</summary>
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

        using var generator = new Generator(seed, CPU);
        using var model = nn.Linear(vocabulary.Count, 2);
        using (no_grad())
        {
            // PyTorch's default U(−1/√in, 1/√in), drawn from the seed rather than the global generator.
            double bound = 1 / Math.Sqrt(vocabulary.Count);
            model.weight!.uniform_(-bound, bound, generator);
            model.bias!.uniform_(-bound, bound, generator);
        }

        using var optimizer = optim.Adam(model.parameters(), LearningRate, weight_decay: WeightDecay);
        using Tensor x = Counts(train, vocabulary);
        using Tensor y = tensor(train.Select(r => r.Label ? 1L : 0L).ToArray());
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }

        using var noGrad = no_grad();
        using var testScope = NewDisposeScope();
        long[] predicted = model.call(Counts(test, vocabulary)).argmax(-1).data<long>().ToArray();
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

        return tensor(counts, [rows.Count, vocabulary.Count]);
    }
}
