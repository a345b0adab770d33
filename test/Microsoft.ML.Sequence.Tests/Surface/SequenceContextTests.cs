using Microsoft.ML.Sequence.Data;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

[TestClass]
public sealed class SequenceContextTests
{
    public sealed class Row
    {
        public int Id { get; set; }
    }

    private sealed class CustomCatalog : SequenceCatalogBase
    {
        public CustomCatalog(SequenceContext context)
            : base(context)
        {
        }
    }

    [TestMethod]
    public void SameSeedGivesSameChoices()
    {
        var a = new SequenceContext(seed: 5);
        var b = new SequenceContext(seed: 5);
        Assert.IsTrue(a.IsSeeded);
        CollectionAssert.AreEqual(Enumerable.Range(0, 5).Select(_ => a.NextSeed()).ToList(), Enumerable.Range(0, 5).Select(_ => b.NextSeed()).ToList());

        var rows = Enumerable.Range(0, 50).Select(i => new Row { Id = i }).ToList();
        List<int> Test(SequenceContext context) =>
            context.Data.CreateEnumerable<Row>(context.Data.TrainTestSplit(context.Data.LoadFromEnumerable(rows), 0.2).TestSet).Select(r => r.Id).ToList();
        CollectionAssert.AreEqual(Test(new SequenceContext(9)), Test(new SequenceContext(9)));
        CollectionAssert.AreNotEqual(Test(new SequenceContext(9)), Test(new SequenceContext(10)));

        using Generator g1 = new SequenceContext(3).CreateGenerator();
        using Generator g2 = new SequenceContext(3).CreateGenerator();
        using var scope = NewDisposeScope();
        CollectionAssert.AreEqual(rand(new long[] { 4 }, generator: g1).data<float>().ToArray(), rand(new long[] { 4 }, generator: g2).data<float>().ToArray());
    }

    [TestMethod]
    public void GpuIndexIsCheckedAndCatalogsAndLogWork()
    {
        var context = new SequenceContext(1);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => context.Device = new Device(DeviceType.CUDA, 64));
        StringAssert.Contains(e.Message, "64");
        Assert.AreEqual(CPU.ToString(), context.Device.ToString());

        CustomCatalog first = context.GetCatalog(c => new CustomCatalog(c));
        Assert.AreSame(first, context.GetCatalog(c => new CustomCatalog(c)));
        Assert.AreSame(context, first.Context);
        Assert.AreSame(context, context.Transforms.Context);

        var messages = new List<string>();
        context.Log += (_, m) => messages.Add(m.ToString());
        context.WriteLog(SequenceLogLevel.Warning, "Test", "dropout has no effect with one layer");
        CollectionAssert.AreEqual(new[] { "[Warning] Test: dropout has no effect with one layer" }, messages);
    }

    [TestMethod]
    public void CatalogPipelineMatchesHandBuiltTransforms()
    {
        var context = new SequenceContext(2);
        ISequenceDataView data = context.Data.LoadFromEnumerable(new[] { new TextRow { Text = "A b" }, new TextRow { Text = "b C" } });
        var pipeline = context.Transforms.NormalizeText("Text")
            .Append(context.Transforms.TokenizeIntoWords("Tokens", "Text"))
            .Append(context.Transforms.MapValueToKey("Keys", "Tokens"))
            .Append(context.Transforms.MapKeyToValue("Back", "Keys"));
        var output = context.Data.CreateEnumerable<TextRow>(pipeline.Fit(data).Transform(data)).ToList();
        CollectionAssert.AreEqual(new[] { "a", "b" }, output[0].Back);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, output[1].Keys);
    }

    public sealed class TextRow
    {
        public string Text { get; set; } = "";

        public long[] Keys { get; set; } = [];

        public string[] Back { get; set; } = [];
    }
}
