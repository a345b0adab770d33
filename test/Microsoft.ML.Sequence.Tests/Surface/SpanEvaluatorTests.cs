using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

[TestClass]
public sealed class SpanEvaluatorTests
{
    private static SpanF1Metrics Score(string gold, string predicted) =>
        SpanEvaluator.Evaluate([(gold.Split(' '), predicted.Split(' '))]);

    [TestMethod]
    public void ExactSpansAreCorrect()
    {
        SpanF1Metrics m = Score("B-PER I-PER O B-LOC", "B-PER I-PER O B-LOC");
        Assert.AreEqual(1.0, m.F1Score);
        Assert.AreEqual(1.0, m.TokenAccuracy);
        CollectionAssert.AreEqual(new[] { "LOC", "PER" }, m.TypeNames.ToArray());
    }

    [TestMethod]
    public void PartialSpanIsAnError()
    {
        // Gold PER covers tokens 0-1; the prediction stops after token 0.
        SpanF1Metrics m = Score("B-PER I-PER O", "B-PER O O");
        Assert.AreEqual(0, m.CorrectSpanCounts.Sum());
        Assert.AreEqual(1, m.PredictedSpanCounts.Sum());
        Assert.AreEqual(1, m.GoldSpanCounts.Sum());
        Assert.AreEqual(0.0, m.F1Score);
        Assert.AreEqual(2.0 / 3, m.TokenAccuracy, 1e-12);
    }

    [TestMethod]
    public void RightSpanWithWrongTypeIsAnError()
    {
        SpanF1Metrics m = Score("O B-PER I-PER", "O B-ORG I-ORG");
        Assert.AreEqual(0.0, m.Precision);
        Assert.AreEqual(0.0, m.Recall);
        Assert.AreEqual(1, m.PredictedSpanCounts[m.TypeNames.ToList().IndexOf("ORG")]);
    }

    [TestMethod]
    public void InsideAfterOutsideStartsAWrongSpan()
    {
        // conlleval: I-PER after O starts a span (token 2 only), which does not equal the gold span 1-2.
        SpanF1Metrics m = Score("O B-PER I-PER O", "O O I-PER O");
        Assert.AreEqual(1, m.PredictedSpanCounts.Sum());
        Assert.AreEqual(0, m.CorrectSpanCounts.Sum());
        Assert.AreEqual(0.0, m.F1Score);
    }

    [TestMethod]
    public void CountsAcrossSentencesAndTypes()
    {
        // Sentence 1: LOC right, PER wrong (too long). Sentence 2: PER right, extra ORG predicted.
        SpanF1Metrics m = SpanEvaluator.Evaluate([
            ("B-LOC O B-PER O".Split(' '), "B-LOC O B-PER I-PER".Split(' ')),
            ("S-PER O O".Split(' '), "S-PER B-ORG E-ORG".Split(' ')),
        ]);
        Assert.AreEqual(3, m.GoldSpanCounts.Sum());
        Assert.AreEqual(4, m.PredictedSpanCounts.Sum());
        Assert.AreEqual(2, m.CorrectSpanCounts.Sum());
        Assert.AreEqual(0.5, m.Precision, 1e-12);
        Assert.AreEqual(2.0 / 3, m.Recall, 1e-12);
        Assert.AreEqual(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), m.F1Score, 1e-12);
        Assert.AreEqual(4.0 / 7, m.TokenAccuracy, 1e-12);
        StringAssert.Contains(m.ToString(), "overall");
    }

    [TestMethod]
    public void RaggedSentenceIsRejected()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => SpanEvaluator.Evaluate([(["O"], ["O", "O"])]));
        StringAssert.Contains(e.Message, "Sentence 0");
    }
}
