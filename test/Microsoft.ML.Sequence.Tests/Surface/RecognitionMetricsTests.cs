using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary>CER, WER and sequence accuracy through <c>ml.Sequence.EvaluateRecognition</c> on IDataViews from
/// <c>LoadFromEnumerable</c>; the hand counts are in the comments.</summary>
[TestClass]
public sealed class RecognitionMetricsTests
{
    private readonly MLContext _ml = new(seed: 1);

    private sealed class LineRow
    {
        public string Text { get; set; } = "";

        public string PredictedText { get; set; } = "";
    }

    private sealed class NumberRow
    {
        public string Text { get; set; } = "";

        public float PredictedText { get; set; }
    }

    [TestMethod]
    public void CorpusLevelRatesFromHandCounts()
    {
        // kitten → sitting: k→s, e→i, +g = 3 character edits; 1 word substituted.
        // the cat sat: exact (11 characters, 3 words).
        // "a b" → "": 3 deletions, 2 words deleted.
        RecognitionMetrics m = Evaluate(("kitten", "sitting"), ("the cat sat", "the cat sat"), ("a b", ""));
        Assert.AreEqual(3L, m.RowCount);
        Assert.AreEqual(20L, m.ReferenceCharacterCount);
        Assert.AreEqual(6L, m.CharacterEditCount);
        Assert.AreEqual(0.3, m.CharacterErrorRate, 1e-12);
        Assert.AreEqual(6L, m.ReferenceWordCount);
        Assert.AreEqual(3L, m.WordEditCount);
        Assert.AreEqual(0.5, m.WordErrorRate, 1e-12);
        Assert.AreEqual(1L, m.ExactMatchCount);
        Assert.AreEqual(1.0 / 3, m.SequenceAccuracy, 1e-12);
    }

    [TestMethod]
    public void InsertionsCountAndRatesMayExceedOne()
    {
        // "hello world" → "hello big world": 4 characters inserted ("big "), 1 word inserted.
        RecognitionMetrics m = Evaluate(("hello world", "hello big world"));
        Assert.AreEqual(4.0 / 11, m.CharacterErrorRate, 1e-12);
        Assert.AreEqual(0.5, m.WordErrorRate, 1e-12);
        Assert.AreEqual(0.0, m.SequenceAccuracy);
        // "ab" → "xxxxab": 4 insertions over 2 characters.
        Assert.AreEqual(2.0, Evaluate(("ab", "xxxxab")).CharacterErrorRate, 1e-12);
    }

    [TestMethod]
    public void WordsSplitOnAnyWhiteSpaceRuns()
    {
        // Extra spaces are character edits but not word edits.
        RecognitionMetrics m = Evaluate(("one two\tthree", "one  two   three"));
        Assert.AreEqual(0L, m.WordEditCount);
        Assert.AreEqual(3L, m.ReferenceWordCount);
        Assert.AreEqual(4L, m.CharacterEditCount); // 1 space inserted after "one"; tab → space and 2 inserted after "two"
        Assert.AreEqual(0.0, m.SequenceAccuracy);
    }

    [TestMethod]
    public void EmptyDataAndEmptyReferences()
    {
        RecognitionMetrics none = Evaluate();
        Assert.AreEqual(0L, none.RowCount);
        Assert.AreEqual(0.0, none.CharacterErrorRate);
        Assert.AreEqual(0.0, none.SequenceAccuracy);
        RecognitionMetrics blank = Evaluate(("", ""));
        Assert.AreEqual(0.0, blank.CharacterErrorRate);
        Assert.AreEqual(1.0, blank.SequenceAccuracy);
        Assert.AreEqual(double.PositiveInfinity, Evaluate(("", "x")).CharacterErrorRate);
    }

    [TestMethod]
    public void OtherColumnNames()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new LineRow { Text = "abc", PredictedText = "abd" } });
        RecognitionMetrics self = _ml.Sequence.EvaluateRecognition(data, labelColumnName: "Text", predictedTextColumnName: "Text");
        Assert.AreEqual(0.0, self.CharacterErrorRate);
        RecognitionMetrics swapped = _ml.Sequence.EvaluateRecognition(data, "PredictedText", "Text");
        Assert.AreEqual(1.0 / 3, swapped.CharacterErrorRate, 1e-12);
    }

    [TestMethod]
    public void MissingAndWrongTypedColumnsAreNamed()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new LineRow { Text = "a", PredictedText = "a" } });
        ArgumentOutOfRangeException missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => _ml.Sequence.EvaluateRecognition(data, predictedTextColumnName: "Guess"));
        Assert.Contains("Could not find predicted text column 'Guess'", missing.Message);
        Assert.Contains("PredictedText (String)", missing.Message);

        IDataView numbers = _ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = "a", PredictedText = 1 } });
        ArgumentOutOfRangeException wrong = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => _ml.Sequence.EvaluateRecognition(numbers));
        Assert.Contains("Schema mismatch for predicted text column 'PredictedText': expected String, got Single", wrong.Message);
    }

    [TestMethod]
    public void EditDistanceMatchesTheFullTable()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            string a = RandomText(random), b = random.Next(4) == 0 ? a : RandomText(random);
            if (random.Next(3) == 0)
            {
                b = "xy" + a + b; // shared suffix, trimmed by the fast path
            }

            Assert.AreEqual(FullTable(a, b), EditDistance.Levenshtein<char>(a, b), $"'{a}' vs '{b}'");
        }
    }

    [TestMethod]
    public void MetricsConstructorChecksCountsAndPrintsATable()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecognitionMetrics(1, 1, -1, 1, 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecognitionMetrics(1, 1, 0, 1, 0, 2));
        string table = new RecognitionMetrics(4, 100, 5, 20, 2, 3).ToString();
        StringAssert.Contains(table, "character (CER)      0.0500          5        100");
        StringAssert.Contains(table, "sequence accuracy    0.7500          3          4");
    }

    private RecognitionMetrics Evaluate(params (string Truth, string Guess)[] rows) =>
        _ml.Sequence.EvaluateRecognition(_ml.Data.LoadFromEnumerable(
            rows.Select(r => new LineRow { Text = r.Truth, PredictedText = r.Guess }).ToArray()));

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 12)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = "abcd"[random.Next(4)];
        }

        return new string(chars);
    }

    private static int FullTable(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), Math.Min(d[i - 1, j], d[i, j - 1]) + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
