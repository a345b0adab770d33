using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class CrfTests
{
    private static readonly string[] BioTags = ["O", "B-A", "I-A", "B-B", "I-B"];
    private static readonly string[] BioesTags = ["O", "B-A", "I-A", "E-A", "S-A"];

    public static IEnumerable<object[]> Cases()
    {
        for (int seed = 0; seed < 24; seed++)
        {
            yield return [seed, (seed % 3) switch { 0 => "none", 1 => "bio", _ => "bioes" }];
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ViterbiLogPartitionAndMarginalsEqualBruteForce(int seed, string scheme)
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(seed);
        (string[] tags, CrfConstraints constraints) = Scheme(scheme, tagCount: 4 + seed % 2);
        int k = tags.Length, batch = 3, steps = 5;
        long[] lengths = Enumerable.Range(0, batch).Select(_ => (long)random.Next(1, steps + 1)).ToArray();
        using var crf = new LinearChainCrf(k, constraints, new Generator((ulong)seed));
        crf.to(ScalarType.Float64);
        using (torch.no_grad())
        {
            // Spread the parameters so that paths differ clearly.
            foreach (var p in crf.parameters())
            {
                p.copy_(torch.randn(p.shape, ScalarType.Float64, generator: new Generator((ulong)seed + 100)));
            }
        }

        Tensor emissions = torch.randn([batch, steps, k], ScalarType.Float64, generator: new Generator((ulong)seed + 7));
        Tensor lengthTensor = torch.tensor(lengths);
        double[] logZ = BlockTensors.Doubles(crf.LogPartition(emissions, lengthTensor));
        IReadOnlyList<long[]> decoded = crf.Decode(emissions, lengthTensor);
        Tensor marginalTensor = crf.Marginals(emissions, lengthTensor);
        Assert.AreEqual(ScalarType.Float32, marginalTensor.dtype);
        Assert.AreEqual(DeviceType.CPU, marginalTensor.device_type);
        double[] marginals = BlockTensors.Doubles(marginalTensor);
        BruteForce brute = new(crf, emissions);
        for (int b = 0; b < batch; b++)
        {
            (double expectedLogZ, long[] best, double[] expectedMarginals) = brute.Solve(b, (int)lengths[b]);
            Assert.AreEqual(expectedLogZ, logZ[b], 1e-9, $"log Z, row {b}");
            CollectionAssert.AreEqual(best, decoded[b], $"Viterbi path, row {b}");
            for (int i = 0; i < expectedMarginals.Length; i++)
            {
                Assert.AreEqual(expectedMarginals[i], marginals[b * steps * k + i], 1e-6, $"marginal {i}, row {b}");
            }

            // Log-likelihood of the best path = its score − log Z.
            long[] padded = best.Concat(Enumerable.Repeat(best[0], steps - best.Length)).ToArray();
            double ll = crf.LogLikelihood(emissions.narrow(0, b, 1), torch.tensor(padded, [1, steps]),
                torch.tensor(new[] { lengths[b] })).item<double>();
            Assert.AreEqual(brute.Score(b, best) - expectedLogZ, ll, 1e-9, $"log-likelihood, row {b}");
        }
    }

    [TestMethod]
    public void LogLikelihoodGradientMatchesFiniteDifferences()
    {
        using var crf = new LinearChainCrf(5, CrfConstraints.For(BioTags, TagScheme.Bio), new Generator(3));
        crf.to(ScalarType.Float64);
        using var scope = torch.NewDisposeScope();
        Tensor tags = torch.tensor(new long[] { 1, 2, 0, 3, 0, 3, 4, 4, 0, 0 }, [2, 5]);
        Tensor lengths = torch.tensor(new long[] { 5, 3 });
        GradientChecker.Check("CRF log-likelihood", e => crf.LogLikelihood(e[0], tags, lengths),
            GradientInput.Of(RandomValues.Uniform(5, [2, 5, 5]), 2, 5, 5));

        // The parameters' gradients too (the transitions, start and end scores), against the same central differences.
        CollectionAssert.AreEquivalent(new[] { "transitions", "start_transitions", "end_transitions" }, crf.state_dict().Keys.ToArray());
        GradientChecker.Check("CRF log-likelihood, parameters", e => crf.LogLikelihood(e[0], tags, lengths),
            crf.parameters().ToArray(),
            GradientInput.Constant(RandomValues.Uniform(6, [2, 5, 5]), 2, 5, 5));
    }

    [TestMethod]
    public void BioConstraintsForbidInsideAfterOutside()
    {
        CrfConstraints bio = CrfConstraints.For(BioTags, TagScheme.Bio);
        Assert.IsFalse(bio.IsAllowed(0, 2), "O → I-A");
        Assert.IsFalse(bio.IsAllowed(3, 2), "B-B → I-A");
        Assert.IsTrue(bio.IsAllowed(1, 2), "B-A → I-A");
        Assert.IsTrue(bio.IsAllowed(2, 2), "I-A → I-A");
        Assert.IsTrue(bio.IsAllowed(2, 3), "I-A → B-B");
        Assert.IsFalse(bio.IsAllowedStart(2), "start with I-A");
        Assert.IsTrue(bio.IsAllowedEnd(2), "end with I-A");
        CrfConstraints bioes = CrfConstraints.For(BioesTags, TagScheme.Bioes);
        Assert.IsFalse(bioes.IsAllowed(1, 0), "B-A → O");
        Assert.IsTrue(bioes.IsAllowed(1, 3), "B-A → E-A");
        Assert.IsTrue(bioes.IsAllowed(3, 4), "E-A → S-A");
        Assert.IsFalse(bioes.IsAllowed(4, 2), "S-A → I-A");
        Assert.IsFalse(bioes.IsAllowedEnd(1), "end with B-A");
        Assert.IsFalse(bioes.IsAllowedStart(3), "start with E-A");
    }

    [TestMethod]
    public void ForbiddenGoldSequenceAndBadTagsAreRejected()
    {
        using var scope = torch.NewDisposeScope();
        using var crf = new LinearChainCrf(5, CrfConstraints.For(BioTags, TagScheme.Bio));
        Tensor emissions = torch.zeros(1, 3, 5);
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            crf.LogLikelihood(emissions, torch.tensor(new long[] { 0, 2, 2 }, [1, 3]), torch.tensor(new long[] { 3 })));
        StringAssert.Contains(e.Message, "Row 0, step 1");
        var bad = Assert.ThrowsExactly<ArgumentException>(() => CrfConstraints.For(["O", "X-A"], TagScheme.Bio));
        StringAssert.Contains(bad.Message, "X-A");
        var zero = Assert.ThrowsExactly<ArgumentException>(() => crf.Decode(emissions, torch.tensor(new long[] { 0 })));
        StringAssert.Contains(zero.Message, "Row 0");
    }

    private static (string[] Tags, CrfConstraints Constraints) Scheme(string scheme, int tagCount) => scheme switch
    {
        "none" => (Enumerable.Range(0, tagCount).Select(i => $"T{i}").ToArray(), CrfConstraints.None(tagCount)),
        "bio" => (BioTags[..tagCount], CrfConstraints.For(BioTags[..tagCount], TagScheme.Bio)),
        _ => (BioesTags[..tagCount], CrfConstraints.For(BioesTags[..tagCount], TagScheme.Bioes)),
    };

    /// <summary>Enumerates every tag sequence of a row.</summary>
    private sealed class BruteForce
    {
        private readonly LinearChainCrf _crf;
        private readonly double[] _emissions, _transitions, _start, _end;
        private readonly int _k, _steps;

        public BruteForce(LinearChainCrf crf, Tensor emissions)
        {
            _crf = crf;
            _k = crf.TagCount;
            _steps = (int)emissions.shape[1];
            _emissions = BlockTensors.Doubles(emissions);
            var state = crf.state_dict();
            _transitions = BlockTensors.Doubles(state["transitions"]);
            _start = BlockTensors.Doubles(state["start_transitions"]);
            _end = BlockTensors.Doubles(state["end_transitions"]);
        }

        public double Score(int row, long[] path)
        {
            double s = _start[path[0]] + _end[path[^1]];
            for (int t = 0; t < path.Length; t++)
            {
                s += _emissions[(row * _steps + t) * _k + path[t]];
                if (t > 0)
                {
                    s += _transitions[path[t - 1] * _k + path[t]];
                }
            }

            return s;
        }

        public (double LogZ, long[] Best, double[] Marginals) Solve(int row, int length)
        {
            var scores = new List<(long[] Path, double Score)>();
            foreach (long[] path in Paths(length))
            {
                if (Allowed(path))
                {
                    scores.Add((path, Score(row, path)));
                }
            }

            double max = scores.Max(s => s.Score);
            double logZ = max + Math.Log(scores.Sum(s => Math.Exp(s.Score - max)));
            var marginals = new double[_steps * _k];
            foreach ((long[] path, double score) in scores)
            {
                for (int t = 0; t < length; t++)
                {
                    marginals[t * _k + path[t]] += Math.Exp(score - logZ);
                }
            }

            return (logZ, scores.MaxBy(s => s.Score).Path, marginals);
        }

        private bool Allowed(long[] path)
        {
            CrfConstraints c = _crf.Constraints;
            bool ok = c.IsAllowedStart((int)path[0]) && c.IsAllowedEnd((int)path[^1]);
            for (int t = 1; t < path.Length && ok; t++)
            {
                ok = c.IsAllowed((int)path[t - 1], (int)path[t]);
            }

            return ok;
        }

        private IEnumerable<long[]> Paths(int length)
        {
            int total = (int)Math.Pow(_k, length);
            for (int n = 0; n < total; n++)
            {
                var path = new long[length];
                for (int t = 0, rest = n; t < length; t++, rest /= _k)
                {
                    path[t] = rest % _k;
                }

                yield return path;
            }
        }
    }
}
