namespace Microsoft.ML.Sequence.Data;

/// <summary>Finds the shared data directory (the folder holding <c>sentiment/</c>, <c>sst2/</c>, <c>ud-english-ewt/</c>).</summary>
/// <remarks>
/// Order: the <c>SEQUENCE_DATA</c> environment variable when set; otherwise, walking up from the working directory
/// and then from <see cref="AppContext.BaseDirectory"/>, the first directory that has a sibling <c>shared/data</c>.
/// Nothing is ever downloaded.
/// </remarks>
public static class DataLocator
{
    /// <summary>Name of the environment variable that points at the data directory.</summary>
    public const string EnvironmentVariable = "SEQUENCE_DATA";

    /// <summary>The data directory.</summary>
    /// <returns>Its full path.</returns>
    /// <exception cref="DirectoryNotFoundException">No data directory was found; the message lists every path tried.</exception>
    public static string FindDataDirectory()
    {
        if (TryFindDataDirectory(out string? directory, out IReadOnlyList<string> tried))
        {
            return directory!;
        }

        throw new DirectoryNotFoundException(
            $"Data directory not found. Set {EnvironmentVariable} or place the data in a sibling 'shared/data' folder. Tried:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", tried));
    }

    /// <summary>Looks for the data directory without throwing.</summary>
    /// <param name="directory">The data directory when found.</param>
    /// <param name="tried">Every path that was checked, in order.</param>
    /// <returns>True when found.</returns>
    public static bool TryFindDataDirectory(out string? directory, out IReadOnlyList<string> tried)
    {
        var paths = new List<string>();
        tried = paths;
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            string full = Path.GetFullPath(fromEnvironment);
            paths.Add($"{full} (from {EnvironmentVariable})");
            directory = Directory.Exists(full) ? full : null;
            return directory is not null;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? current = new DirectoryInfo(start); current?.Parent is not null; current = current.Parent)
            {
                string candidate = Path.Combine(current.Parent.FullName, "shared", "data");
                if (paths.Contains(candidate))
                {
                    continue;
                }

                paths.Add(candidate);
                if (Directory.Exists(candidate))
                {
                    directory = candidate;
                    return true;
                }
            }
        }

        directory = null;
        return false;
    }

    /// <summary>A path inside the data directory.</summary>
    /// <param name="relativePath">Path relative to the data directory, e.g. <c>sentiment/yelp_labelled.txt</c>.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names the full path.</exception>
    /// <exception cref="DirectoryNotFoundException">No data directory was found.</exception>
    public static string GetPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        string path = Path.Combine(FindDataDirectory(), relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        return path;
    }
}
