using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.ML.Sequence.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// The lessons of the recurrent family, with identical widths, optimiser, clipping and seeds on both sides:
/// (a) an LSTM with the default initialisation learns to output the first of 51 tokens; (b) at initialisation the
/// LSTM's gradient reaches the first of 100 steps far better than a tanh RNN's.
/// </summary>
/// <remarks>Task: tokens from a vocabulary of 8, one-hot inputs [B, T, 8], a recurrent layer with hidden 64, a linear
/// read-out of the final hidden state, cross-entropy against the first token. Adam 3e-3, global-norm clipping at 1.0,
/// batch 32.</remarks>
[TestClass]
public sealed class LearningTests
{
    private const int Vocabulary = 8, Hidden = 64, Batch = 32;

    [TestMethod]
    public void LstmLearnsToOutputTheFirstOf51Tokens()
    {
        const int steps = 51, maxSteps = 1500, evaluateEvery = 25;
        using var generator = new RandomGenerator(2);
        using var lstm = new Lstm(Vocabulary, Hidden, generator: generator);
        using var head = new Linear(Hidden, Vocabulary, generator: generator);
        ModuleParameter[] parameters = lstm.Parameters().Concat(head.Parameters()).ToArray();
        using var optimizer = new AdamOptimizer(parameters, 3e-3);
        using Tensor heldOutTokens = Tensor.RandInt(0, Vocabulary, [512, steps], generator);

        int reachedAt = -1;
        double accuracy = 0;
        for (int step = 1; step <= maxSteps && reachedAt < 0; step++)
        {
            using (var scope = TensorScope.Begin())
            {
                Tensor tokens = Tensor.RandInt(0, Vocabulary, [Batch, steps], generator);
                Tensor loss = Loss(lstm, head, tokens);
                optimizer.ZeroGrad();
                loss.Backward();
                GradientClipping.ClipByGlobalNorm(parameters, 1.0);
                optimizer.Step();
            }

            if (step % evaluateEvery == 0)
            {
                using var scope = TensorScope.Begin();
                using var noGrad = NoGradScope.Begin();
                Tensor predicted = Logits(lstm, head, heldOutTokens).ArgMax(-1);
                accuracy = predicted.Eq(heldOutTokens.Select(1, 0)).To(DType.Float64).Mean().ToScalar();
                if (accuracy >= 0.95)
                {
                    reachedAt = step;
                }
            }
        }

        Console.WriteLine($"first-of-{steps}: LSTM (default init) reached held-out accuracy {accuracy:0.000} at step {reachedAt} (limit {maxSteps})");
        Assert.IsGreaterThan(0, reachedAt, $"the LSTM did not reach 0.95 within {maxSteps} steps (last accuracy {accuracy:0.000})");
    }

    [TestMethod]
    public void LstmGradientReachesTheFirstStepFarBetterThanATanhRnns()
    {
        const int steps = 100;
        for (ulong seed = 0; seed <= 4; seed++)
        {
            double lstm = GradientRatio(seed, g => new Lstm(Vocabulary, Hidden, generator: g));
            double rnn = GradientRatio(seed, g => new ElmanRnn(Vocabulary, Hidden, generator: g));
            Console.WriteLine($"seed {seed}: ‖∂L/∂x₀‖ / ‖∂L/∂x₉₉‖ LSTM {lstm:E2}, tanh RNN {rnn:E2}, LSTM / RNN {lstm / rnn:E2}");
            Assert.IsGreaterThanOrEqualTo(100 * rnn, lstm, $"seed {seed}: LSTM ratio {lstm:E2} vs tanh RNN {rnn:E2}");
        }

        double GradientRatio(ulong seed, Func<RandomGenerator, RecurrentBase> create)
        {
            using var generator = new RandomGenerator(seed);
            using RecurrentBase layer = create(generator);
            using var head = new Linear(Hidden, Vocabulary, generator: generator);
            using var scope = TensorScope.Begin();
            Tensor tokens = Tensor.RandInt(0, Vocabulary, [Batch, steps], generator);
            Tensor x = OneHot(tokens);
            x.RequiresGrad = true;
            Tensor logits = head.Forward(layer.Forward(x).Output.Select(1, steps - 1));
            Losses.CrossEntropy(logits, tokens.Select(1, 0)).Backward();
            Tensor grad = x.Grad!;
            return grad.Select(1, 0).Norm().ToScalar() / grad.Select(1, steps - 1).Norm().ToScalar();
        }
    }

    private static Tensor Loss(RecurrentBase layer, Linear head, Tensor tokens) =>
        Losses.CrossEntropy(Logits(layer, head, tokens), tokens.Select(1, 0));

    private static Tensor Logits(RecurrentBase layer, Linear head, Tensor tokens)
    {
        RecurrentOutput output = layer.Forward(OneHot(tokens));
        return head.Forward(output.FinalHidden.Select(0, 0));
    }

    private static Tensor OneHot(Tensor tokens) =>
        tokens.Unsqueeze(-1).Eq(Tensor.Arange(0, Vocabulary).View(1, 1, Vocabulary)).To(DType.Float32);
}
