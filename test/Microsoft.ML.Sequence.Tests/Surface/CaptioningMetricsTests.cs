using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary>BLEU against hand-computed cases: Papineni et al. (2002)'s clipping examples, the brevity penalty, the
/// closest-reference rule, corpus-level pooling, a zero-match case, and the evaluator's columns and errors.</summary>
[TestClass]
public sealed class CaptioningMetricsTests
{
    private static CaptioningMetrics Score(params (string Candidate, string[] References)[] rows)
    {
        var counter = new BleuCounter();
        foreach ((string candidate, string[] references) in rows)
        {
            counter.Add(CaptioningEvaluator.Tokenize(candidate), references.Select(r => (IReadOnlyList<string>)CaptioningEvaluator.Tokenize(r)).ToArray());
        }

        return counter.ToMetrics();
    }

    [TestMethod]
    public void PapineniClippingExampleGivesTwoSevenths()
    {
        // Paper, section 2.1.1: "the" occurs at most twice in a reference, so the candidate's seven count twice.
        CaptioningMetrics m = Score(("the the the the the the the", ["The cat is on the mat.", "There is a cat on the mat."]));
        Assert.AreEqual(2, m.MatchCount(1));
        Assert.AreEqual(7, m.TotalCount(1));
        Assert.AreEqual(2.0 / 7, m.Precisions[0], 1e-12);
        Assert.AreEqual(0, m.MatchCount(2));
        // References of 7 and 8 tokens (the period is a token): the closest to 7 is 7, c = r, so BP = 1.
        Assert.AreEqual(1, m.BrevityPenalty, 1e-12);
        Assert.AreEqual(2.0 / 7, m.Bleu1, 1e-12);
        Assert.AreEqual(0, m.Bleu2);
        Assert.AreEqual(0, m.Bleu4);
    }

    [TestMethod]
    public void PapineniCandidateOneHasUnigramSeventeenOfEighteenAndBigramTenOfSeventeen()
    {
        // Paper, section 2.1: Example 1, Candidate 1 against its three references (case folded, no final periods).
        CaptioningMetrics m = Score(("It is a guide to action which ensures that the military always obeys the commands of the party",
        [
            "It is a guide to action that ensures that the military will forever heed Party commands",
            "It is the guiding principle which guarantees the military forces always being under the command of the Party",
            "It is the practical guide for the army always to heed the directions of the party",
        ]));
        Assert.AreEqual(17, m.MatchCount(1));
        Assert.AreEqual(18, m.TotalCount(1));
        Assert.AreEqual(10, m.MatchCount(2));
        Assert.AreEqual(17, m.TotalCount(2));
        Assert.AreEqual(18, m.ReferenceLength, "the closest reference (18 tokens) to the 18-token candidate");
        Assert.AreEqual(1, m.BrevityPenalty, 1e-12);
        Assert.AreEqual(Math.Sqrt(17.0 / 18 * 10 / 17), m.Bleu2, 1e-12);
    }

    [TestMethod]
    public void NoMatchingWordScoresZeroEverywhere()
    {
        CaptioningMetrics m = Score(("red green blue", ["a small circle", "one large star"]));
        Assert.AreEqual(0, m.MatchCount(1));
        Assert.AreEqual(3, m.TotalCount(1));
        for (int n = 1; n <= 4; n++)
        {
            Assert.AreEqual(0, m.Bleu(n), $"BLEU-{n}");
        }
    }

    [TestMethod]
    public void ShortCandidateIsPenalisedByTheClosestReference()
    {
        // c = 2, r = 6: BP = exp(1 − 6/2) = e^−2; p1 = p2 = 1, no trigrams (p3 = 0, so BLEU-3 = BLEU-4 = 0).
        CaptioningMetrics m = Score(("a cat", ["a cat sat on the mat"]));
        Assert.AreEqual(Math.Exp(-2), m.BrevityPenalty, 1e-12);
        Assert.AreEqual(Math.Exp(-2), m.Bleu1, 1e-12);
        Assert.AreEqual(Math.Exp(-2), m.Bleu2, 1e-12);
        Assert.AreEqual(0, m.Bleu3);
    }

    [TestMethod]
    public void TiedReferenceLengthsTakeTheShorterAndCountsPoolOverTheCorpus()
    {
        // Row 1: candidate of 4, references of 3 and 5 → r = 3. Row 2: exact match of 5. Corpus: c = 9, r = 8 → BP = 1.
        CaptioningMetrics m = Score(("a b d c", ["a b c", "a b c d e"]), ("p q r s t", ["p q r s t"]));
        Assert.AreEqual(8, m.ReferenceLength);
        Assert.AreEqual(9, m.CandidateLength);
        Assert.AreEqual(1, m.BrevityPenalty);
        Assert.AreEqual(9, m.MatchCount(1));
        Assert.AreEqual(5, m.MatchCount(2), "row 1: only 'a b'; row 2: all four");
        Assert.AreEqual(7, m.TotalCount(2));
        // Corpus-level: p_n pools counts over rows (0/2 + 3/3 trigrams = 3/5), not the mean of per-row ratios (0.5).
        Assert.AreEqual(3.0 / 5, m.Precisions[2], 1e-12);
        Assert.AreEqual(2, m.MatchCount(4));
        Assert.AreEqual(3, m.TotalCount(4));
        Assert.AreEqual(Math.Pow(1.0 * (5.0 / 7) * (3.0 / 5) * (2.0 / 3), 0.25), m.Bleu4, 1e-12);
    }

    [TestMethod]
    public void PerfectCaptionScoresOne()
    {
        CaptioningMetrics m = Score(("a small red circle above a blue square", ["a small red circle above a blue square", "a blue square under a red circle"]));
        Assert.AreEqual(1, m.Bleu4, 1e-12);
    }

    private sealed class VectorRow
    {
        public string[] References { get; set; } = [];

        public string PredictedCaption { get; set; } = "";
    }

    private sealed class TextRow
    {
        public string References { get; set; } = "";

        public string PredictedCaption { get; set; } = "";

        public float Number { get; set; }
    }

    [TestMethod]
    public void EvaluateCaptioningReadsVectorAndTextReferences()
    {
        var ml = new MLContext(seed: 1);
        IDataView vectors = ml.Data.LoadFromEnumerable(new[]
        {
            new VectorRow { References = ["The cat is on the mat.", "There is a cat on the mat."], PredictedCaption = "the the the the the the the" },
        });
        CaptioningMetrics fromVectors = ml.Sequence.EvaluateCaptioning(vectors);
        Assert.AreEqual(2.0 / 7, fromVectors.Bleu1, 1e-12);

        IDataView texts = ml.Data.LoadFromEnumerable(new[] { new TextRow { References = "a cat sat on the mat", PredictedCaption = "a cat" } });
        CaptioningMetrics fromText = ml.Sequence.EvaluateCaptioning(texts);
        Assert.AreEqual(Math.Exp(-2), fromText.Bleu2, 1e-12);
        StringAssert.Contains(fromText.ToString(), "BLEU-4");
    }

    [TestMethod]
    public void EvaluateCaptioningNamesMissingAndMistypedColumnsAndEmptyRows()
    {
        var ml = new MLContext(seed: 1);
        IDataView texts = ml.Data.LoadFromEnumerable(new[] { new TextRow { References = "a", PredictedCaption = "a" } });
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.EvaluateCaptioning(texts, referencesColumnName: "Refs"));
        StringAssert.Contains(missing.Message, "'Refs'");
        var mistyped = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Sequence.EvaluateCaptioning(texts, predictedCaptionColumnName: "Number"));
        StringAssert.Contains(mistyped.Message, "'Number'");
        IDataView empty = ml.Data.LoadFromEnumerable(new[] { new VectorRow { References = [""], PredictedCaption = "a" } });
        var noReference = Assert.ThrowsExactly<ArgumentException>(() => ml.Sequence.EvaluateCaptioning(empty));
        StringAssert.Contains(noReference.Message, "row 0");
    }

    [TestMethod]
    public void MetricsConstructorChecksCounts()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CaptioningMetrics(1, 3, 3, [4, 0, 0, 0], [3, 2, 1, 0]));
        Assert.ThrowsExactly<ArgumentException>(() => new CaptioningMetrics(1, 3, 3, [1, 0, 0], [3, 2, 1]));
        var m = new CaptioningMetrics(1, 3, 3, [3, 2, 1, 0], [3, 2, 1, 0]);
        Assert.AreEqual(0, m.Bleu4, "no 4-grams: p4 = 0");
        Assert.AreEqual(1, m.Bleu3, 1e-12);
    }
}
