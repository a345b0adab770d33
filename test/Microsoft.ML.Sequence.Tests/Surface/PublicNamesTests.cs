using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Surface;

[TestClass]
public sealed class PublicNamesTests
{
    [TestMethod]
    public void NoPublicTypeReusesAMicrosoftMLName()
    {
        string list = Path.Combine(AppContext.BaseDirectory, "MicrosoftMLPublicTypeNames.txt");
        var taken = File.ReadAllLines(list).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        Assert.IsGreaterThan(700, taken.Count);
        var clashes = typeof(SequenceContext).Assembly.GetExportedTypes()
            .Select(t => t.Name.Split('`')[0])
            .Where(taken.Contains)
            .Distinct()
            .ToList();
        Assert.IsEmpty(clashes, "Public types named like Microsoft.ML types: " + string.Join(", ", clashes));
    }
}
