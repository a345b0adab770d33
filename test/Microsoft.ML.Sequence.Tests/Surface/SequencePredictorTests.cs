using Microsoft.ML.Sequence.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

[TestClass]
public sealed class SequencePredictorTests
{
    public sealed class Input
    {
        public string Text { get; set; } = "";
    }

    public sealed class Output
    {
        public long[] Keys { get; set; } = [];

        public string[] Back { get; set; } = [];
    }

    public sealed class WrongOutput
    {
        public float[] Score { get; set; } = [];
    }

    private static (SequenceContext Context, ISequenceTransformer Model) Fit()
    {
        var context = new SequenceContext(4);
        var data = context.Data.LoadFromEnumerable(new[] { new Input { Text = "the cat sat" }, new Input { Text = "the dog" } });
        var model = context.Transforms.TokenizeIntoWords("Tokens", "Text")
            .Append(context.Transforms.MapValueToKey("Keys", "Tokens"))
            .Append(context.Transforms.MapKeyToValue("Back", "Keys"))
            .Fit(data);
        return (context, model);
    }

    [TestMethod]
    public void SingleAndBatchPredictionsAgree()
    {
        var (context, model) = Fit();
        using var engine = context.Model.CreatePredictionEngine<Input, Output>(model, SequenceDataView.SchemaOf<Input>());
        Output single = engine.Predict(new Input { Text = "the bird sat" });
        CollectionAssert.AreEqual(new long[] { 2, 1, 4 }, single.Keys);
        CollectionAssert.AreEqual(new[] { "the", "<unk>", "sat" }, single.Back);
        IReadOnlyList<Output> batch = engine.PredictBatch([new Input { Text = "dog" }, new Input { Text = "the bird sat" }]);
        CollectionAssert.AreEqual(single.Keys, batch[1].Keys);
        CollectionAssert.AreEqual(new long[] { 5 }, batch[0].Keys);
    }

    [TestMethod]
    public void MismatchedRowClassesNameTheColumn()
    {
        var (context, model) = Fit();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => context.Model.CreatePredictionEngine<Input, WrongOutput>(model));
        StringAssert.Contains(e.Message, "\"Score\"");
        var schema = new SequenceSchema([new SchemaColumn("Sentence", TextColumnType.Instance)]);
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => context.Model.CreatePredictionEngine<Input, Output>(model, schema));
        StringAssert.Contains(e2.Message, "\"Sentence\"");
    }

    [TestMethod]
    public void PoolServesConcurrentCallsFromSharedModelAndFromFile()
    {
        var (context, model) = Fit();
        string[] texts = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "the cat" : "dog sat the").ToArray();
        using var pool = context.Model.CreatePredictionEnginePool<Input, Output>(model);
        var results = new long[texts.Length][];
        Parallel.For(0, texts.Length, i => results[i] = pool.Predict(new Input { Text = texts[i] }).Keys);
        for (int i = 0; i < texts.Length; i++)
        {
            CollectionAssert.AreEqual(i % 2 == 0 ? new long[] { 2, 3 } : new long[] { 5, 4, 2 }, results[i]);
        }

        Assert.IsGreaterThanOrEqualTo(1, pool.CreatedCount);

        using var dir = new TempDirectory();
        string path = dir.File("model.zip");
        context.Model.Save(model, SequenceDataView.SchemaOf<Input>(), path);
        using var filePool = context.Model.CreatePredictionEnginePool<Input, Output>(path);
        Parallel.For(0, 20, i => CollectionAssert.AreEqual(new long[] { 2, 3 }, filePool.Predict(new Input { Text = "the cat" }).Keys));
    }
}
