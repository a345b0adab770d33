using Microsoft.ML.Sequence.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests;

/// <summary>Finds files under ../shared/data; a test whose data is absent reports Inconclusive with every path tried.</summary>
internal static class TestData
{
    public static string PathOf(string relativePath)
    {
        if (!DataLocator.TryFindDataDirectory(out string? directory, out IReadOnlyList<string> tried))
        {
            Assert.Inconclusive($"Data directory not found; tried: {string.Join("; ", tried)}");
        }

        string path = Path.Combine(directory!, relativePath);
        if (!File.Exists(path))
        {
            Assert.Inconclusive($"Data file not found: {path}");
        }

        return path;
    }
}
