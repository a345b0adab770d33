using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

/// <summary><c>mlContext.Sequence</c>: the catalog for tasks ML.NET has no catalog for.</summary>
[TestClass]
public sealed class SequenceCatalogTests
{
    [TestMethod]
    public void CatalogAndTrainersCarryTheContext()
    {
        var ml = new MLContext(seed: 1);
        SequenceCatalog catalog = ml.Sequence;
        Assert.AreSame(ml, catalog.Environment);
        Assert.AreSame(ml, catalog.Trainers.Environment);
        Assert.AreNotSame(catalog, ml.Sequence, "each read is a new, stateless catalog");
    }

    [TestMethod]
    public void NullContextIsRejected()
    {
        MLContext? ml = null;
        Assert.ThrowsExactly<ArgumentNullException>(() => _ = ml!.Sequence);
    }
}
