using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Data.Transforms;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data;

[TestClass]
public sealed class TextTransformTests
{
    public sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    public sealed class KeyedRow
    {
        public string Text { get; set; } = "";

        public string[] Tokens { get; set; } = [];

        public long[] TokenKeys { get; set; } = [];

        public string[] Back { get; set; } = [];
    }

    private static ISequenceDataView Data(params string[] texts) =>
        SequenceDataView.FromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());

    private static SequenceEstimatorChain<MapKeyToValueTransform> Pipeline(MapValueToKeyOptions keyOptions) =>
        new NormalizeTextTransform(new NormalizeTextOptions())
            .Append(new TokenizeWordsTransform(new TokenizeWordsOptions()))
            .Append(new MapValueToKeyEstimator(keyOptions))
            .Append(new MapKeyToValueTransform(new MapKeyToValueOptions { InputColumnName = "TokenKeys", OutputColumnName = "Back" }));

    [TestMethod]
    public void SchemaPropagatesThroughAnUnfittedChain()
    {
        var pipeline = Pipeline(new MapValueToKeyOptions());
        SequenceSchema output = pipeline.GetOutputSchema(SequenceDataView.SchemaOf<TextRow>());
        CollectionAssert.AreEqual(new[] { "Text", "Tokens", "TokenKeys", "Back" }, output.Select(c => c.Name).ToArray());
        Assert.AreEqual("Vector<Text>", output["Tokens"].Type.ToString());
        Assert.AreEqual("Vector<Key[?]>", output["TokenKeys"].Type.ToString());
        Assert.AreEqual("Vector<Text>", output["Back"].Type.ToString());

        var bad = new MapKeyToValueTransform(new MapKeyToValueOptions { InputColumnName = "Text", OutputColumnName = "X" });
        var e = Assert.ThrowsExactly<ArgumentException>(() => bad.GetOutputSchema(SequenceDataView.SchemaOf<TextRow>()));
        StringAssert.Contains(e.Message, "\"Text\"");
        StringAssert.Contains(e.Message, "Text");
    }

    [TestMethod]
    public void FittedChainMapsValuesToKeysWithUnkAndBack()
    {
        var model = Pipeline(new MapValueToKeyOptions()).Fit(Data("The  cat sat.", "the DOG sat", "a cat"));
        Vocabulary vocabulary = ((MapValueToKeyTransformer)model[2]).Vocabulary;
        CollectionAssert.AreEqual(new[] { "<unk>", "the", "cat", "sat.", "dog", "sat", "a" }, vocabulary.Values.ToArray());
        Assert.AreEqual(8L, vocabulary.EmbeddingRows);
        List<KeyedRow> rows = SequenceDataView.ToEnumerable<KeyedRow>(model.Transform(Data("the cat ate", ""))).ToList();
        CollectionAssert.AreEqual(new[] { "the", "cat", "ate" }, rows[0].Tokens);
        CollectionAssert.AreEqual(new long[] { 2, 3, 1 }, rows[0].TokenKeys);
        CollectionAssert.AreEqual(new[] { "the", "cat", "<unk>" }, rows[0].Back);
        Assert.IsEmpty(rows[1].TokenKeys);
        SequenceSchema schema = model.GetOutputSchema(SequenceDataView.SchemaOf<TextRow>());
        Assert.AreSame(vocabulary, ((KeyColumnType)((VectorColumnType)schema["TokenKeys"].Type).ItemType).Vocabulary);
    }

    [TestMethod]
    public void WithoutUnkUnknownValuesMapToZeroAndPadNamesKeyZero()
    {
        var model = Pipeline(new MapValueToKeyOptions { SpecialTokens = SpecialTokens.None }).Fit(Data("b a", "a"));
        KeyedRow row = SequenceDataView.ToEnumerable<KeyedRow>(model.Transform(Data("a z b"))).Single();
        CollectionAssert.AreEqual(new long[] { 2, 0, 1 }, row.TokenKeys);
        CollectionAssert.AreEqual(new[] { "a", "", "b" }, row.Back);

        var padded = Pipeline(new MapValueToKeyOptions { SpecialTokens = SpecialTokens.Pad | SpecialTokens.Start | SpecialTokens.End })
            .Fit(Data("b a"));
        KeyedRow row2 = SequenceDataView.ToEnumerable<KeyedRow>(padded.Transform(Data("<s> a z </s> <pad>"))).Single();
        CollectionAssert.AreEqual(new long[] { 1, 4, 0, 2, 0 }, row2.TokenKeys);
        CollectionAssert.AreEqual(new[] { "<s>", "a", "<pad>", "</s>", "<pad>" }, row2.Back);
    }

    [TestMethod]
    public void VocabularyLimitsAndValueOrdering()
    {
        ISequenceDataView data = Data("c c c b b a d d d d e");
        Vocabulary Fit(MapValueToKeyOptions options) =>
            ((MapValueToKeyTransformer)Pipeline(options).Fit(data)[2]).Vocabulary;

        CollectionAssert.AreEqual(new[] { "c", "b", "d" },
            Fit(new MapValueToKeyOptions { SpecialTokens = SpecialTokens.None, MinCount = 2 }).Values.ToArray());
        CollectionAssert.AreEqual(new[] { "<unk>", "c", "d" },
            Fit(new MapValueToKeyOptions { MaxVocabularySize = 2 }).Values.ToArray());
        CollectionAssert.AreEqual(new[] { "<unk>", "a", "b", "c", "d", "e" },
            Fit(new MapValueToKeyOptions { Ordering = KeyOrdering.ByValue }).Values.ToArray());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MapValueToKeyEstimator(new MapValueToKeyOptions { MinCount = 0 }));
    }

    [TestMethod]
    public void CharacterTokenizerKeepsSurrogatePairs()
    {
        CollectionAssert.AreEqual(new[] { "a", "é", "😀", " " }, TokenizeCharactersTransform.Split("aé😀 "));
    }
}
