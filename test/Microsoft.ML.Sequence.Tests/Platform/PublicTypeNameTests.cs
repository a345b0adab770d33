using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Platform;

/// <summary>No public type of Microsoft.ML.Sequence may share a simple name with a public type of Microsoft.ML or
/// TorchSharp, so a program can import all three namespaces at once (STYLE G4). TorchSharp is referenced, so its names
/// come from reflection; Microsoft.ML's come from a list taken from its public API.</summary>
[TestClass]
public sealed class PublicTypeNameTests
{
    private const string ListFile = "MicrosoftMLPublicTypeNames.txt";

    [TestMethod]
    public void NoPublicTypeNameClashesWithMicrosoftML()
    {
        HashSet<string> taken = LoadTakenNames();
        Assembly library = typeof(Microsoft.ML.Sequence.Estimators.TextClassification.RecurrentTextClassifier).Assembly;
        // GetExportedTypes includes public nested types of public types.
        var clashes = library.GetExportedTypes()
            .Where(type => taken.Contains(SimpleName(type)))
            .Select(type => $"{type.FullName} ({SimpleName(type)})")
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
        Assert.IsEmpty(clashes,
            $"public types whose simple name Microsoft.ML already uses:{Environment.NewLine}{string.Join(Environment.NewLine, clashes)}");
    }

    [TestMethod]
    public void NoPublicTypeNameClashesWithTorchSharp()
    {
        HashSet<string> taken = typeof(TorchSharp.torch).Assembly.GetExportedTypes().Select(SimpleName).ToHashSet(StringComparer.Ordinal);
        Assert.IsGreaterThanOrEqualTo(300, taken.Count, "TorchSharp's public types were not found");
        Assert.Contains("LSTM", taken);
        var clashes = typeof(Microsoft.ML.Sequence.Estimators.TextClassification.RecurrentTextClassifier).Assembly.GetExportedTypes()
            .Where(type => taken.Contains(SimpleName(type)))
            .Select(type => $"{type.FullName} ({SimpleName(type)})")
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
        Assert.IsEmpty(clashes,
            $"public types whose simple name TorchSharp already uses:{Environment.NewLine}{string.Join(Environment.NewLine, clashes)}");
    }

    [TestMethod]
    public void SimpleNamesStripGenericArityAndNesting()
    {
        Assert.AreEqual("Dictionary", SimpleName(typeof(Dictionary<int, int>)));
        Assert.AreEqual("Enumerator", SimpleName(typeof(List<int>.Enumerator)));
        Assert.AreEqual("Tensor", SimpleName(typeof(TorchSharp.torch.Tensor)));
    }

    private static HashSet<string> LoadTakenNames()
    {
        string path = Path.Combine(AppContext.BaseDirectory, ListFile);
        Assert.IsTrue(File.Exists(path), $"{path} is missing: the test project must copy {ListFile} to its output");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            names.Add(StripArity(line));
        }

        // A truncated or empty list would make the clash check pass vacuously.
        Assert.IsGreaterThanOrEqualTo(700, names.Count, $"{ListFile} lists only {names.Count} names; expected at least 700");
        return names;
    }

    private static string SimpleName(Type type) => StripArity(type.Name);

    private static string StripArity(string name)
    {
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
