using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>Best path on hand-written frame paths ('-' is the blank): merge repeats, then drop blanks.</summary>
[TestClass]
public sealed class CtcBestPathDecoderTests
{
    private const string Alphabet = "ehlo ";

    [TestMethod]
    [DataRow("hheel-lloo", "hello")]
    [DataRow("l-l", "ll")]
    [DataRow("ll", "l")]
    [DataRow("l--l", "ll")]
    [DataRow("-h-e-l-l-o-", "hello")]
    [DataRow("---", "")]
    [DataRow("", "")]
    [DataRow("lll", "l")]
    [DataRow("h e", "h e")]
    [DataRow("h  -  e", "h  e")]
    public void DecodesPath(string path, string expected)
    {
        Assert.AreEqual(expected, CtcBestPathDecoder.Decode(CtcTestFrames.FromPath(path, Alphabet), Alphabet));
    }

    [TestMethod]
    public void LabelsAreClassIndices()
    {
        // h = 2, e = 1, l = 3 (alphabet index + 1).
        CollectionAssert.AreEqual(new[] { 2, 1, 3, 3 }, CtcBestPathDecoder.DecodeLabels(CtcTestFrames.FromPath("hh-e-l-l", Alphabet), 6));
        CollectionAssert.AreEqual(new[] { 2, 2, 0, 1, 0, 3, 0, 3 },
            CtcBestPathDecoder.FrameClasses(CtcTestFrames.FromPath("hh-e-l-l", Alphabet), 6));
    }

    [TestMethod]
    public void CollapseMergesRepeatsThenDropsBlanks()
    {
        CollectionAssert.AreEqual(new[] { 1, 1, 2 }, CtcBestPathDecoder.Collapse([1, 1, 0, 1, 2, 2, 0, 0]));
        CollectionAssert.AreEqual(Array.Empty<int>(), CtcBestPathDecoder.Collapse([0, 0]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CtcBestPathDecoder.Collapse([1, -1]));
    }

    [TestMethod]
    public void TiesGoToTheLowerClass()
    {
        // Blank and 'e' equal in frame 0; 'e' and 'h' equal in frame 1.
        float half = MathF.Log(0.5f);
        float[] scores = [half, half, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity,
            float.NegativeInfinity, half, half, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity];
        Assert.AreEqual("e", CtcBestPathDecoder.Decode(scores, Alphabet));
    }

    [TestMethod]
    public void RejectsBadLayoutAndNaN()
    {
        var ragged = new float[13];
        ArgumentOutOfRangeException layout = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CtcBestPathDecoder.Decode(ragged, Alphabet));
        Assert.Contains("13", layout.Message);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CtcBestPathDecoder.DecodeLabels(new float[4], 0));
        float[] scores = CtcTestFrames.FromPath("he", Alphabet);
        scores[8] = float.NaN;
        ArgumentException nan = Assert.ThrowsExactly<ArgumentException>(() => CtcBestPathDecoder.Decode(scores, Alphabet));
        Assert.Contains("Frame 1, class 2", nan.Message);
        Assert.ThrowsExactly<ArgumentNullException>(() => CtcBestPathDecoder.Decode(scores, null!));
    }
}
