using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary>Span F1 by conlleval's rules through <c>EvaluateSequenceTagging</c>, on IDataViews built with ML.NET
/// (<c>LoadFromEnumerable</c> of string vectors, then <c>MapValueToKey</c>). The hand counts are in the comments.</summary>
[TestClass]
public sealed class SequenceTaggingMetricsTests
{
    private readonly MLContext _ml = new(seed: 1);

    private sealed class TagRow
    {
        public string[] Tags { get; set; } = [];

        public string[] Predicted { get; set; } = [];
    }

    private sealed class VocabularyRow
    {
        public string Tag { get; set; } = "";
    }

    private sealed class KeyRow
    {
        public uint[] Tags { get; set; } = [];
    }

    [TestMethod]
    public void ExactSpansAreCorrect()
    {
        SequenceTaggingMetrics m = Score(("B-PER I-PER O B-LOC", "B-PER I-PER O B-LOC"));
        Assert.AreEqual(1.0, m.F1Score);
        Assert.AreEqual(1.0, m.TokenAccuracy);
        Assert.AreEqual(1.0, m.MacroF1);
        CollectionAssert.AreEqual(new[] { "LOC", "PER" }, m.PerType.Keys.ToArray());
        Assert.AreEqual(1, m.PerType["PER"].Support);
        Assert.AreEqual(1L, m.SentenceCount);
        Assert.AreEqual(4L, m.TokenCount);
    }

    [TestMethod]
    public void PartialSpanIsAnError()
    {
        // Gold PER covers tokens 0-1; the prediction stops after token 0.
        SequenceTaggingMetrics m = Score(("B-PER I-PER O", "B-PER O O"));
        Assert.AreEqual(0L, m.CorrectSpanCount);
        Assert.AreEqual(1L, m.PredictedSpanCount);
        Assert.AreEqual(1L, m.GoldSpanCount);
        Assert.AreEqual(0.0, m.F1Score);
        Assert.AreEqual(2.0 / 3, m.TokenAccuracy, 1e-12);
    }

    [TestMethod]
    public void RightSpanWithWrongTypeIsAnError()
    {
        SequenceTaggingMetrics m = Score(("O B-PER I-PER", "O B-ORG I-ORG"));
        Assert.AreEqual(0.0, m.Precision);
        Assert.AreEqual(0.0, m.Recall);
        Assert.AreEqual(1, m.PerType["ORG"].PredictedCount);
        Assert.AreEqual(0, m.PerType["ORG"].Support);
        Assert.AreEqual(1, m.PerType["PER"].Support);
    }

    [TestMethod]
    public void InsideAfterOutsideStartsAWrongSpan()
    {
        // conlleval: I-PER after O starts a span (token 2 only), which does not equal the gold span 1-2.
        SequenceTaggingMetrics m = Score(("O B-PER I-PER O", "O O I-PER O"));
        Assert.AreEqual(1L, m.PredictedSpanCount);
        Assert.AreEqual(0L, m.CorrectSpanCount);
        Assert.AreEqual(0.0, m.F1Score);
    }

    [TestMethod]
    public void CountsAcrossSentencesAndTypesWithMicroAndMacroAverages()
    {
        // Sentence 1: LOC right, PER wrong (too long). Sentence 2: PER right, extra ORG predicted.
        // LOC 1/1/1 (P 1, R 1, F1 1); PER gold 2, predicted 2, correct 1 (0.5 each); ORG 0/1/0 (all 0).
        SequenceTaggingMetrics m = Score(("B-LOC O B-PER O", "B-LOC O B-PER I-PER"), ("S-PER O O", "S-PER B-ORG E-ORG"));
        Assert.AreEqual(3L, m.GoldSpanCount);
        Assert.AreEqual(4L, m.PredictedSpanCount);
        Assert.AreEqual(2L, m.CorrectSpanCount);
        Assert.AreEqual(0.5, m.Precision, 1e-12);
        Assert.AreEqual(2.0 / 3, m.Recall, 1e-12);
        Assert.AreEqual(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), m.F1Score, 1e-12);
        Assert.AreEqual(4.0 / 7, m.TokenAccuracy, 1e-12);
        Assert.AreEqual((1 + 0.5 + 0) / 3, m.MacroPrecision, 1e-12);
        Assert.AreEqual((1 + 0.5 + 0) / 3, m.MacroRecall, 1e-12);
        Assert.AreEqual((1 + 0.5 + 0) / 3, m.MacroF1, 1e-12);
        Assert.AreEqual(0.5, m.PerType["PER"].F1Score, 1e-12);
        Assert.AreEqual(2, m.PerType["PER"].Support);
        Assert.AreEqual(1, m.PerType["PER"].CorrectCount);
        CollectionAssert.AreEqual(new[] { "LOC", "ORG", "PER" }, m.PerType.Keys.ToArray());

        string table = m.ToString();
        StringAssert.Contains(table, "2 sentences, 7 tokens; token accuracy 0.5714");
        StringAssert.Contains(table, "overall            3         4       2    0.5000  0.6667  0.5714");
        StringAssert.Contains(table, "macro");
        StringAssert.Contains(table, "ORG                0         1       0    0.0000  0.0000  0.0000");
    }

    [TestMethod]
    public void Iob1SpansThatStartWithInsideMatchEachOther()
    {
        // IOB1: a span may start with I-; two identical I- runs are one correct span each.
        SequenceTaggingMetrics m = Score(("I-PER I-PER O I-LOC", "I-PER I-PER O I-LOC"));
        Assert.AreEqual(2L, m.CorrectSpanCount);
        Assert.AreEqual(1.0, m.F1Score);
    }

    [TestMethod]
    public void ATypeChangeStartsASpanEvenAfterBOrI()
    {
        // B-PER I-LOC is two spans (PER at 0, LOC at 1), the same spans as B-PER B-LOC: span F1 1 with one tag in two wrong.
        SequenceTaggingMetrics m = Score(("B-PER I-LOC", "B-PER B-LOC"));
        Assert.AreEqual(2L, m.GoldSpanCount);
        Assert.AreEqual(2L, m.CorrectSpanCount);
        Assert.AreEqual(1.0, m.F1Score);
        Assert.AreEqual(0.5, m.TokenAccuracy);
    }

    [TestMethod]
    public void SpansNeverCrossASentenceEnd()
    {
        // The second sentence's leading I-PER starts its own span; the first sentence's B-PER closed at its end.
        SequenceTaggingMetrics m = Score(("O B-PER", "O B-PER"), ("I-PER O", "I-PER O"));
        Assert.AreEqual(2L, m.GoldSpanCount);
        Assert.AreEqual(2L, m.CorrectSpanCount);
    }

    [TestMethod]
    public void BioesBoundariesAreHonoured()
    {
        // Gold ORG 0-2 and LOC 3; predicted ORG 0-1, ORG 2 and LOC 3: only LOC is right.
        // E-X then I-X starts a new span (gold "B-X E-X I-X" holds two spans).
        SequenceTaggingMetrics m = Score(("B-ORG I-ORG E-ORG S-LOC", "B-ORG E-ORG S-ORG S-LOC"), ("B-X E-X I-X", "B-X E-X I-X"));
        Assert.AreEqual(1, m.PerType["ORG"].Support);
        Assert.AreEqual(2, m.PerType["ORG"].PredictedCount);
        Assert.AreEqual(0, m.PerType["ORG"].CorrectCount);
        Assert.AreEqual(1, m.PerType["LOC"].CorrectCount);
        Assert.AreEqual(2, m.PerType["X"].Support);
        Assert.AreEqual(2, m.PerType["X"].CorrectCount);
    }

    [TestMethod]
    public void TypesMayHoldHyphens()
    {
        // conlleval splits at the first hyphen: B-ORG-X has type ORG-X.
        SequenceTaggingMetrics m = Score(("B-ORG-X I-ORG-X", "B-ORG-X I-ORG-X"));
        CollectionAssert.AreEqual(new[] { "ORG-X" }, m.PerType.Keys.ToArray());
        Assert.AreEqual(1.0, m.F1Score);
    }

    [TestMethod]
    public void PlainTagsFormNoSpansUnlessRaw()
    {
        (string, string) sentence = ("NOUN VERB NOUN O", "NOUN NOUN NOUN O");
        SequenceTaggingMetrics prefixed = Score(SpanTagFormat.Prefixed, sentence);
        Assert.AreEqual(0L, prefixed.GoldSpanCount);
        Assert.AreEqual(0.75, prefixed.TokenAccuracy);

        // Raw (conlleval -r): every non-O tag is a one-token span. NOUN: support 2, predicted 3, correct 2; VERB 1/0/0.
        SequenceTaggingMetrics raw = Score(SpanTagFormat.Raw, sentence);
        Assert.AreEqual(3L, raw.GoldSpanCount);
        Assert.AreEqual(2.0 / 3, raw.Precision, 1e-12);
        Assert.AreEqual(2.0 / 3, raw.Recall, 1e-12);
        Assert.AreEqual(2.0 / 3, raw.PerType["NOUN"].Precision, 1e-12);
        Assert.AreEqual(1.0, raw.PerType["NOUN"].Recall);
        Assert.AreEqual(0.0, raw.PerType["VERB"].Recall);
        Assert.AreEqual((0.8 + 0) / 2, raw.MacroF1, 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Score((SpanTagFormat)7, sentence));
    }

    [TestMethod]
    public void ColumnsMappedByDifferentDictionariesAreComparedAsTags()
    {
        // Fitted separately, the two columns number their tags differently; the evaluator maps each through its own KeyValues.
        IDataView data = _ml.Data.LoadFromEnumerable(new[]
        {
            new TagRow { Tags = ["B-PER", "O"], Predicted = ["O", "B-PER"] },
            new TagRow { Tags = ["B-PER", "O"], Predicted = ["B-PER", "O"] },
        });
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Tags")
            .Append(_ml.Transforms.Conversion.MapValueToKey("PredictedLabel", "Predicted")).Fit(data).Transform(data);
        SequenceTaggingMetrics m = _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, "Tags");
        Assert.AreEqual(0.5, m.TokenAccuracy);
        Assert.AreEqual(1L, m.CorrectSpanCount);
        Assert.AreEqual(2L, m.PredictedSpanCount);
    }

    [TestMethod]
    public void RaggedRowIsRejectedWithItsNumber()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Score(("O O", "O O"), ("O", "O O")));
        StringAssert.Contains(e.Message, "Row 1: column \"Tags\" has 1 tags but column \"PredictedLabel\" has 2");
    }

    [TestMethod]
    public void MissingOrWrongColumnsAreNamed()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new TagRow { Tags = ["O"], Predicted = ["O"] } });
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Tags").Fit(data).Transform(data);
        var missing = Assert.ThrowsExactly<ArgumentException>(() => _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, "Tags"));
        StringAssert.Contains(missing.Message, "The predicted label column \"PredictedLabel\" is not in the data. Its columns are: Tags (Vector<Key<UInt32");
        StringAssert.Contains(missing.Message, "Predicted (Vector<String");
        Assert.AreEqual("predictedLabelColumnName", missing.ParamName);

        var text = Assert.ThrowsExactly<ArgumentException>(() =>
            _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, "Predicted", "Tags"));
        StringAssert.Contains(text.Message, "The label column \"Predicted\" is Vector<String");
        StringAssert.Contains(text.Message, "expected a vector of UInt32 keys");
        Assert.AreEqual("labelColumnName", text.ParamName);

        IDataView scalar = _ml.Transforms.Conversion.MapValueToKey("Tag")
            .Fit(_ml.Data.LoadFromEnumerable(new[] { new VocabularyRow { Tag = "O" } }))
            .Transform(_ml.Data.LoadFromEnumerable(new[] { new VocabularyRow { Tag = "O" } }));
        var scalarError = Assert.ThrowsExactly<ArgumentException>(() => _ml.MulticlassClassification.EvaluateSequenceTagging(scalar, "Tag", "Tag"));
        StringAssert.Contains(scalarError.Message, "is Key<UInt32");
    }

    [TestMethod]
    public void KeysWithoutKeyValuesAreRejected()
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(KeyRow));
        schema[nameof(KeyRow.Tags)].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), 3));
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new KeyRow { Tags = [1, 2] } }, schema);
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MulticlassClassification.EvaluateSequenceTagging(data, "Tags", "Tags"));
        StringAssert.Contains(e.Message, "The label column \"Tags\" has no KeyValues annotation");
    }

    [TestMethod]
    public void AMissingKeyNamesRowAndToken()
    {
        // The mapping is fitted on a vocabulary without B-LOC, so B-LOC becomes key 0 (missing).
        IDataView vocabulary = _ml.Data.LoadFromEnumerable(new[] { new VocabularyRow { Tag = "O" }, new VocabularyRow { Tag = "B-PER" } });
        IDataView data = _ml.Data.LoadFromEnumerable(new[]
        {
            new TagRow { Tags = ["O"], Predicted = ["O"] },
            new TagRow { Tags = ["O", "B-LOC"], Predicted = ["O", "B-PER"] },
        });
        IDataView keyed = Map(vocabulary).Fit(data).Transform(data);
        var e = Assert.ThrowsExactly<ArgumentException>(() => _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, "Tags"));
        StringAssert.Contains(e.Message, "Row 1, token 1: column \"Tags\" holds key 0 (a missing value)");
    }

    [TestMethod]
    public void EwtDevGoldAgainstItselfScoresOne()
    {
        IDataView dev = _ml.Data.LoadFromConllU(TestData.PathOf("ud-english-ewt/en_ewt-ud-dev.conllu"));
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Tags", "Upos")
            .Append(_ml.Transforms.CopyColumns("PredictedLabel", "Tags")).Fit(dev).Transform(dev);
        SequenceTaggingMetrics m = _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, "Tags", tagFormat: SpanTagFormat.Raw);
        long tokens = _ml.Data.CreateEnumerable<TokensRow>(dev, reuseRowObject: false).Sum(r => (long)r.Tokens.Length);
        Assert.AreEqual(2001L, m.SentenceCount);
        Assert.AreEqual(tokens, m.TokenCount);
        Assert.AreEqual(1.0, m.TokenAccuracy);
        Assert.AreEqual(1.0, m.MacroF1);
        Assert.AreEqual(17, m.PerType.Count, string.Join(" ", m.PerType.Keys));
        Assert.AreEqual(m.TokenCount - m.PerType.Values.Where(t => t.Type == "O").Sum(t => t.Support), m.GoldSpanCount);
    }

    [TestMethod]
    public void MetricsObjectsValidateTheirCounts()
    {
        var m = new SequenceTaggingMetrics(1, 4, 3, [new SpanTypeMetrics("PER", 2, 1, 1), new SpanTypeMetrics("LOC", 1, 1, 0)]);
        Assert.AreEqual(0.75, m.TokenAccuracy);
        Assert.AreEqual(0.5, m.Precision);
        Assert.AreEqual(1.0 / 3, m.Recall, 1e-12);
        Assert.AreEqual((2.0 / 3 + 0) / 2, m.MacroF1, 1e-12);
        CollectionAssert.AreEqual(new[] { "LOC", "PER" }, m.PerType.Keys.ToArray());
        StringAssert.StartsWith(m.PerType["PER"].ToString(), "PER");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SpanTypeMetrics("PER", 1, 2, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SpanTypeMetrics("PER", -1, 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SequenceTaggingMetrics(1, 2, 3, []));
        Assert.ThrowsExactly<ArgumentException>(() => new SequenceTaggingMetrics(1, 2, 1, [new("A", 1, 1, 1), new("A", 1, 1, 1)]));
        var empty = new SequenceTaggingMetrics(0, 0, 0, []);
        Assert.AreEqual(0.0, empty.F1Score);
        Assert.AreEqual(0.0, empty.MacroF1);
    }

    private sealed class TokensRow
    {
        public string[] Tokens { get; set; } = [];
    }

    private SequenceTaggingMetrics Score(params (string Gold, string Predicted)[] sentences) => Score(SpanTagFormat.Prefixed, sentences);

    /// <summary>Builds the data the way an application does: string vectors from LoadFromEnumerable, then one
    /// MapValueToKey over both columns with one shared vocabulary, so PredictedLabel has the label's key values.</summary>
    private SequenceTaggingMetrics Score(SpanTagFormat format, params (string Gold, string Predicted)[] sentences)
    {
        TagRow[] rows = sentences.Select(s => new TagRow { Tags = s.Gold.Split(' '), Predicted = s.Predicted.Split(' ') }).ToArray();
        IDataView vocabulary = _ml.Data.LoadFromEnumerable(rows.SelectMany(r => r.Tags.Concat(r.Predicted)).Distinct()
            .Select(t => new VocabularyRow { Tag = t }).ToArray());
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        IDataView keyed = Map(vocabulary).Fit(data).Transform(data);
        return _ml.MulticlassClassification.EvaluateSequenceTagging(keyed, labelColumnName: "Tags",
            predictedLabelColumnName: "PredictedLabel", tagFormat: format);
    }

    private IEstimator<ITransformer> Map(IDataView vocabulary) => _ml.Transforms.Conversion.MapValueToKey(
        [new InputOutputColumnPair("Tags"), new InputOutputColumnPair("PredictedLabel", "Predicted")], keyData: vocabulary);
}
