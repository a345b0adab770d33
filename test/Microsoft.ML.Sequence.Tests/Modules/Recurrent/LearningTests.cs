using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Recurrent;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>
/// The lessons of the recurrent family, with identical widths, optimiser, clipping and seeds on both sides:
/// (a) an LSTM with the default initialisation learns to output the first of 51 tokens; (b) at initialisation the
/// LSTM's gradient reaches the first of 100 steps far better than a tanh RNN's.
/// </summary>
/// <remarks>Task: tokens from a vocabulary of 8, one-hot inputs [B, T, 8], a recurrent layer with hidden 64, a linear
/// read-out of the final hidden state, cross-entropy against the first token. TorchSharp's Adam 3e-3, global-norm
/// clipping at 1.0 (<c>clip_grad_norm_</c>), batch 32.</remarks>
[TestClass]
public sealed class LearningTests
{
    private const int Vocabulary = 8, Hidden = 64, Batch = 32;

    [TestMethod]
    public void LstmLearnsToOutputTheFirstOf51Tokens()
    {
        const int steps = 51, maxSteps = 1500, evaluateEvery = 25;
        using var generator = new Generator(2);
        using var lstm = new Lstm(Vocabulary, Hidden, generator: generator);
        using Linear head = Initialization.Linear(Hidden, Vocabulary, true, generator);
        Parameter[] parameters = lstm.parameters().Concat(head.parameters()).ToArray();
        using var optimizer = torch.optim.Adam(parameters, 3e-3);
        using Tensor heldOutTokens = torch.randint(0, Vocabulary, new long[] { 512, steps }, generator: generator);

        int reachedAt = -1;
        double accuracy = 0;
        for (int step = 1; step <= maxSteps && reachedAt < 0; step++)
        {
            using (torch.NewDisposeScope())
            {
                Tensor tokens = torch.randint(0, Vocabulary, new long[] { Batch, steps }, generator: generator);
                Tensor loss = Loss(lstm, head, tokens);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
            }

            if (step % evaluateEvery == 0)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                Tensor predicted = Logits(lstm, head, heldOutTokens).argmax(-1);
                accuracy = predicted.eq(heldOutTokens.select(1, 0)).to(ScalarType.Float64).mean().item<double>();
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

        double GradientRatio(ulong seed, Func<Generator, RecurrentBase> create)
        {
            using var generator = new Generator(seed);
            using RecurrentBase layer = create(generator);
            using Linear head = Initialization.Linear(Hidden, Vocabulary, true, generator);
            using var scope = torch.NewDisposeScope();
            Tensor tokens = torch.randint(0, Vocabulary, new long[] { Batch, steps }, generator: generator);
            Tensor x = OneHot(tokens);
            x.requires_grad = true;
            Tensor logits = head.call(layer.Forward(x).Output.select(1, steps - 1));
            nn.functional.cross_entropy(logits, tokens.select(1, 0)).backward();
            Tensor grad = x.grad!;
            return grad.select(1, 0).norm().item<float>() / grad.select(1, steps - 1).norm().item<float>();
        }
    }

    private static Tensor Loss(RecurrentBase layer, Linear head, Tensor tokens) =>
        nn.functional.cross_entropy(Logits(layer, head, tokens), tokens.select(1, 0));

    private static Tensor Logits(RecurrentBase layer, Linear head, Tensor tokens)
    {
        RecurrentOutput output = layer.Forward(OneHot(tokens));
        return head.call(output.FinalHidden.select(0, 0));
    }

    private static Tensor OneHot(Tensor tokens) =>
        tokens.unsqueeze(-1).eq(torch.arange(0, Vocabulary, dtype: ScalarType.Int64).view(1, 1, Vocabulary)).to(ScalarType.Float32);
}
