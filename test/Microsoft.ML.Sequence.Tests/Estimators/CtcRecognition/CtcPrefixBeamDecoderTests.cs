using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>Prefix beam search against best path, a brute-force sum over alignments, TorchSharp's CTC loss, and hand
/// cases for the language model and the insertion bonus.</summary>
[TestClass]
public sealed class CtcPrefixBeamDecoderTests
{
    private static readonly CtcBeamSearchOptions Exhaustive = new()
    {
        BeamWidth = 4096,
        HypothesisCount = 4096,
        CharacterPruningLogProbability = double.NegativeInfinity,
    };

    [TestMethod]
    public void BeamWidthOneEqualsBestPathOnPeakedFrames()
    {
        // Frames whose best class has probability ≥ 0.9, as a trained recogniser gives. (On flat frames beam width 1 may
        // rightly keep a prefix whose probability sums two alignments over the single best alignment.)
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            string alphabet = "abcde"[..random.Next(1, 6)];
            float[] frames = PeakedFrames(random, random.Next(0, 40), alphabet.Length + 1);
            var decoder = new CtcPrefixBeamDecoder(alphabet, new CtcBeamSearchOptions { BeamWidth = 1, CharacterPruningLogProbability = double.NegativeInfinity });
            Assert.AreEqual(CtcBestPathDecoder.Decode(frames, alphabet), decoder.Decode(frames)[0].Text, $"trial {trial}");
            var pruned = new CtcPrefixBeamDecoder(alphabet, new CtcBeamSearchOptions { BeamWidth = 1, CharacterPruningLogProbability = -0.01 });
            Assert.AreEqual(CtcBestPathDecoder.Decode(frames, alphabet), pruned.Decode(frames)[0].Text, $"trial {trial}, pruned");
        }
    }

    [TestMethod]
    public void WideBeamEqualsTheSumOverAllAlignments()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 40; trial++)
        {
            string alphabet = trial % 2 == 0 ? "a" : "ab";
            int frames = 1 + trial % 5;
            float[] scores = CtcTestFrames.Random(random, frames, alphabet.Length + 1, sharpness: 1.5);
            Dictionary<string, double> brute = BruteForce(scores, alphabet);
            IReadOnlyList<CtcHypothesis> found = new CtcPrefixBeamDecoder(alphabet, Exhaustive).Decode(scores);
            CollectionAssert.AreEquivalent(brute.Keys.ToArray(), found.Select(h => h.Text).ToArray(), $"trial {trial}");
            foreach (CtcHypothesis h in found)
            {
                Assert.AreEqual(brute[h.Text], Math.Exp(h.CtcLogProbability), 1e-6 * brute[h.Text], $"trial {trial}, '{h.Text}'");
                Assert.AreEqual(h.CtcLogProbability, h.Score, 1e-12);
                Assert.IsNull(h.LanguageModelLogProbability);
            }

            Assert.AreEqual(1.0, found.Sum(h => Math.Exp(h.CtcLogProbability)), 1e-5, "the labellings' probabilities sum to 1");
            for (int i = 1; i < found.Count; i++)
            {
                Assert.IsGreaterThanOrEqualTo(found[i].Score, found[i - 1].Score, "best first");
            }
        }
    }

    [TestMethod]
    public void WideBeamEqualsExpOfMinusTorchCtcLoss()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(9);
        foreach ((string alphabet, int frames) in new[] { ("a", 3), ("ab", 4), ("ab", 5), ("a", 5) })
        {
            float[] scores = CtcTestFrames.Random(random, frames, alphabet.Length + 1, sharpness: 1.0);
            IReadOnlyList<CtcHypothesis> found = new CtcPrefixBeamDecoder(alphabet, Exhaustive).Decode(scores);
            int n = found.Count;
            int longest = Math.Max(1, found.Max(h => h.Labels.Count));
            // (T, N, C): the same frames for every hypothesis; targets padded with 0 beyond each length.
            Tensor logProbs = torch.tensor(scores.Select(s => (double)s).ToArray(), new long[] { frames, 1, alphabet.Length + 1 })
                .expand(frames, n, alphabet.Length + 1).contiguous();
            var targets = new long[n * longest];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < found[i].Labels.Count; j++)
                {
                    targets[i * longest + j] = found[i].Labels[j];
                }
            }

            Tensor losses = functional.ctc_loss(logProbs, torch.tensor(targets, new long[] { n, longest }),
                torch.full(n, frames, ScalarType.Int64), torch.tensor(found.Select(h => (long)h.Labels.Count).ToArray()),
                reduction: Reduction.None);
            double[] values = TensorValues.ToArray<double>(losses);
            for (int i = 0; i < n; i++)
            {
                Assert.AreEqual(Math.Exp(-values[i]), Math.Exp(found[i].CtcLogProbability), 1e-6,
                    $"'{found[i].Text}' over {frames} frames of alphabet '{alphabet}'");
            }
        }
    }

    [TestMethod]
    public void ShortcutsChangeNoResult()
    {
        // Against the plain dictionary-by-text search on random lines: the same hypotheses, scores and order, with and
        // without a language model, α, β and pruning.
        var random = new Random(21);
        const string alphabet = "abc ";
        CharacterLanguageModel lm = CharacterLanguageModel.Train(["a cab", "abc abc", "cab a bac", "b a c"], new CharacterLanguageModelOptions { Order = 3 });
        for (int trial = 0; trial < 60; trial++)
        {
            float[] scores = CtcTestFrames.Random(random, random.Next(1, 25), alphabet.Length + 1, sharpness: 0.5 + 3 * random.NextDouble());
            var options = new CtcBeamSearchOptions
            {
                BeamWidth = random.Next(1, 9),
                LanguageModelWeight = random.NextDouble() * 2,
                InsertionBonus = random.NextDouble() * 3 - 1,
                CharacterPruningLogProbability = trial % 3 == 0 ? double.NegativeInfinity : -1 - 3 * random.NextDouble(),
            };
            options.HypothesisCount = random.Next(1, options.BeamWidth + 1);
            CharacterLanguageModel? model = trial % 2 == 0 ? lm : null;
            var expected = CtcReferenceBeamSearch.Decode(scores, alphabet, options, model);
            IReadOnlyList<CtcHypothesis> found = new CtcPrefixBeamDecoder(alphabet, options, model).Decode(scores);
            Assert.AreEqual(expected.Count, found.Count, $"trial {trial}");
            for (int i = 0; i < found.Count; i++)
            {
                Assert.AreEqual(expected[i].Text, found[i].Text, $"trial {trial}, hypothesis {i}");
                Assert.AreEqual(expected[i].Score, found[i].Score, 1e-9, $"trial {trial}, hypothesis {i}");
                Assert.AreEqual(expected[i].Ctc, found[i].CtcLogProbability, 1e-9, $"trial {trial}, hypothesis {i}");
            }
        }
    }

    [TestMethod]
    public void ThousandFramesStayFinite()
    {
        var random = new Random(3);
        const string alphabet = "abcdefghij ";
        float[] scores = CtcTestFrames.Random(random, 1000, alphabet.Length + 1, sharpness: 2);
        CharacterLanguageModel lm = CharacterLanguageModel.Train(["a bad cafe", "fig jab", "high deaf jig"]);
        IReadOnlyList<CtcHypothesis> found = new CtcPrefixBeamDecoder(alphabet,
            new CtcBeamSearchOptions { BeamWidth = 16, HypothesisCount = 3 }, lm).Decode(scores);
        Assert.HasCount(3, found);
        foreach (CtcHypothesis h in found)
        {
            // A product of 1,000 frame probabilities underflows a double (below 1e-308) long before this.
            Assert.IsTrue(double.IsFinite(h.CtcLogProbability) && h.CtcLogProbability < -300, $"{h.CtcLogProbability}");
            Assert.IsTrue(double.IsFinite(h.Score));
            Assert.AreEqual(lm.LineLogProbability(h.Text), h.LanguageModelLogProbability!.Value, 1e-9);
        }
    }

    [TestMethod]
    public void LanguageModelChangesTheRanking()
    {
        // Frames: c, then o (0.5) against a (0.4), then t. The frames alone say "cot"; a model trained on "cat" lines
        // makes "cat" win.
        const string alphabet = "acot";
        float[] scores = Frames(alphabet, [('c', 0.9)], [('o', 0.5), ('a', 0.4)], [('t', 0.9)]);
        var options = new CtcBeamSearchOptions { BeamWidth = 8, HypothesisCount = 8, LanguageModelWeight = 1 };
        IReadOnlyList<CtcHypothesis> plain = new CtcPrefixBeamDecoder(alphabet, options).Decode(scores);
        Assert.AreEqual("cot", plain[0].Text);
        Assert.AreEqual("cat", plain[1].Text);

        CharacterLanguageModel lm = CharacterLanguageModel.Train(["cat", "a cat", "cat cat", "act"],
            new CharacterLanguageModelOptions { Order = 3 });
        IReadOnlyList<CtcHypothesis> guided = new CtcPrefixBeamDecoder(alphabet, options, lm).Decode(scores);
        Assert.AreEqual("cat", guided[0].Text);
        // 'o' never occurs in the model's text, so "cot" (an unknown character) drops out of the beam altogether.
        Assert.IsFalse(guided.Any(h => h.Text == "cot"));
        foreach (CtcHypothesis h in guided)
        {
            Assert.AreEqual(lm.LineLogProbability(h.Text), h.LanguageModelLogProbability!.Value, 1e-9);
            Assert.AreEqual(h.CtcLogProbability + h.LanguageModelLogProbability.Value, h.Score, 1e-9);
        }

        Assert.AreEqual(plain[1].CtcLogProbability, guided[0].CtcLogProbability, 1e-9, "the LM does not change P_ctc");

        // With α = 0 the model is consulted but does not count.
        var off = new CtcPrefixBeamDecoder(alphabet, new CtcBeamSearchOptions { BeamWidth = 8, LanguageModelWeight = 0 }, lm);
        Assert.AreEqual("cot", off.Decode(scores)[0].Text);
    }

    [TestMethod]
    public void InsertionBonusFavoursLongerLabellings()
    {
        // One frame: blank 0.6, 'a' 0.4. log 0.6 = -0.51 beats log 0.4 = -0.92; with β = 1, -0.92 + 1 = 0.08 wins.
        float[] scores = Frames("a", [('a', 0.4)]);
        Assert.AreEqual("", new CtcPrefixBeamDecoder("a").Decode(scores)[0].Text);
        CtcHypothesis bonus = new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { InsertionBonus = 1 }).Decode(scores)[0];
        Assert.AreEqual("a", bonus.Text);
        Assert.AreEqual(Math.Log(0.4) + 1, bonus.Score, 1e-6);
        CollectionAssert.AreEqual(new[] { 1 }, bonus.Labels.ToArray());
    }

    [TestMethod]
    public void DoubledLettersNeedABlankBetween()
    {
        float[] scores = CtcTestFrames.FromPath("hel-lo", "ehlo", peak: 0.97);
        Assert.AreEqual("hello", new CtcPrefixBeamDecoder("ehlo").Decode(scores)[0].Text);
        Assert.AreEqual("helo", new CtcPrefixBeamDecoder("ehlo").Decode(CtcTestFrames.FromPath("hello", "ehlo", peak: 0.97))[0].Text);
    }

    [TestMethod]
    public void NoFramesGiveTheEmptyText()
    {
        CtcHypothesis h = new CtcPrefixBeamDecoder("ab", new CtcBeamSearchOptions { HypothesisCount = 5, BeamWidth = 5 }).Decode([]).Single();
        Assert.AreEqual("", h.Text);
        Assert.AreEqual(0.0, h.CtcLogProbability);
    }

    [TestMethod]
    public void RejectsBadOptionsAndInput()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { BeamWidth = 0 }));
        ArgumentOutOfRangeException count = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { BeamWidth = 4, HypothesisCount = 5 }));
        Assert.AreEqual(nameof(CtcBeamSearchOptions.HypothesisCount), count.ParamName);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { LanguageModelWeight = -1 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { InsertionBonus = double.NaN }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CtcPrefixBeamDecoder("a", new CtcBeamSearchOptions { CharacterPruningLogProbability = 0.5 }));
        Assert.ThrowsExactly<ArgumentNullException>(() => new CtcPrefixBeamDecoder(null!));
        var decoder = new CtcPrefixBeamDecoder("ab");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => decoder.Decode(new float[4]));
        float[] nan = CtcTestFrames.FromPath("ab", "ab");
        nan[3] = float.NaN;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => decoder.Decode(nan)).Message, "Frame 1, class 0");
        float[] impossible = Enumerable.Repeat(float.NegativeInfinity, 3).ToArray();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => decoder.Decode(impossible)).Message, "Frame 0");
        // The options object is copied: changing it later does not change the decoder.
        var options = new CtcBeamSearchOptions { BeamWidth = 3 };
        var copied = new CtcPrefixBeamDecoder("ab", options);
        options.BeamWidth = 99;
        Assert.AreEqual(3, copied.Options.BeamWidth);
    }

    [TestMethod]
    public void GridSearchPicksTheWeightThatFixesTheValidationLines()
    {
        // Validation lines whose middle frame is ambiguous between 'o' (0.5) and 'a' (0.4): the truth is always "cat", so
        // some α > 0 must beat α = 0 (CER 1/3), and the grid must report every pair.
        const string alphabet = "acot";
        float[] scores = Frames(alphabet, [('c', 0.9)], [('o', 0.5), ('a', 0.4)], [('t', 0.9)]);
        CharacterLanguageModel lm = CharacterLanguageModel.Train(["cat", "a cat", "cat cat", "act"], new CharacterLanguageModelOptions { Order = 3 });
        var (best, grid) = CtcBeamSearchTuning.GridSearch([scores, scores], ["cat", "cat"], alphabet, lm,
            new CtcBeamSearchOptions { BeamWidth = 8 }, weights: [0, 1], bonuses: [0, 1]);
        Assert.HasCount(4, grid);
        Assert.AreEqual(1.0 / 3, grid[0].CharacterErrorRate, 1e-12, "α = 0, β = 0 keeps \"cot\"");
        Assert.AreEqual(1.0, best.LanguageModelWeight);
        Assert.AreEqual(0.0, grid.Single(g => g.Weight == best.LanguageModelWeight && g.Bonus == best.InsertionBonus).CharacterErrorRate);
    }

    /// <summary>Frames whose listed classes get the listed probabilities and the blank the rest.</summary>
    private static float[] Frames(string alphabet, params (char Character, double Probability)[][] frames)
    {
        int classes = alphabet.Length + 1;
        var scores = new float[frames.Length * classes];
        for (int t = 0; t < frames.Length; t++)
        {
            var p = new double[classes];
            foreach ((char c, double probability) in frames[t])
            {
                p[alphabet.IndexOf(c, StringComparison.Ordinal) + 1] = probability;
            }

            p[0] = 1 - p.Sum();
            for (int k = 0; k < classes; k++)
            {
                scores[t * classes + k] = (float)Math.Log(p[k]);
            }
        }

        return scores;
    }

    private static float[] PeakedFrames(Random random, int frames, int classes)
    {
        var scores = new float[frames * classes];
        for (int t = 0; t < frames; t++)
        {
            int peak = random.Next(classes);
            double top = 0.9 + 0.09 * random.NextDouble();
            var rest = Enumerable.Range(0, classes).Select(_ => random.NextDouble() + 1e-3).ToArray();
            double restSum = rest.Sum() - rest[peak];
            for (int k = 0; k < classes; k++)
            {
                double p = k == peak ? top : (1 - top) * rest[k] / restSum;
                scores[t * classes + k] = (float)Math.Log(classes == 1 ? 1 : p);
            }
        }

        return scores;
    }

    /// <summary>P(labelling) = Σ over every path of classes^frames that collapses to it of the product of its frame
    /// probabilities.</summary>
    private static Dictionary<string, double> BruteForce(float[] scores, string alphabet)
    {
        int classes = alphabet.Length + 1, frames = scores.Length / classes;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var path = new int[frames];
        int total = (int)Math.Pow(classes, frames);
        for (int code = 0; code < total; code++)
        {
            double p = 1;
            int rest = code;
            for (int t = 0; t < frames; t++)
            {
                path[t] = rest % classes;
                rest /= classes;
                p *= Math.Exp(scores[t * classes + path[t]]);
            }

            string text = new(CtcBestPathDecoder.Collapse(path).Select(k => alphabet[k - 1]).ToArray());
            result[text] = result.GetValueOrDefault(text) + p;
        }

        return result;
    }
}
