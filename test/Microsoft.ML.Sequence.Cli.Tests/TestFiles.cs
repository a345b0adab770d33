using System.Text;

namespace Microsoft.ML.Sequence.Cli.Tests;

/// <summary>Small real data for the tool: a few hundred UCI review sentences as TSV/CSV with a header, a few hundred
/// EWT sentences as CoNLL-U, written into a temporary folder (the shared data is read in place, never copied into the repo).</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "mlseq-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static string DataDirectory { get; } = FindData();

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Text/Label TSV: the first <paramref name="perSource"/> sentences of the Yelp and Amazon files, labels 0/1.</summary>
    public string SentimentTsv(string name, int perSource, int skip = 0)
    {
        var text = new StringBuilder("Text\tLabel\n");
        foreach (string source in new[] { "yelp", "amazon_cells" })
        {
            foreach (string line in File.ReadLines(Path.Combine(DataDirectory, "sentiment", $"{source}_labelled.txt")).Skip(skip).Take(perSource))
            {
                string[] fields = line.Split('\t');
                text.Append(fields[0].Trim()).Append('\t').Append(fields[1].Trim()).Append('\n');
            }
        }

        return Write(name, text.ToString());
    }

    /// <summary>Text,Source CSV (quoted): three classes (yelp, amazon, imdb) of <paramref name="perSource"/> sentences each.</summary>
    public string SourcesCsv(string name, int perSource)
    {
        var text = new StringBuilder("Text,Source\n");
        foreach ((string file, string label) in new[] { ("yelp", "yelp"), ("amazon_cells", "amazon"), ("imdb", "imdb") })
        {
            foreach (string line in File.ReadLines(Path.Combine(DataDirectory, "sentiment", $"{file}_labelled.txt")).Take(perSource))
            {
                text.Append('"').Append(line.Split('\t')[0].Trim().Replace("\"", "\"\"")).Append("\",").Append(label).Append('\n');
            }
        }

        return Write(name, text.ToString());
    }

    /// <summary>The first <paramref name="sentences"/> sentences of an EWT CoNLL-U file.</summary>
    public string Ewt(string name, string part, int sentences)
    {
        var text = new StringBuilder();
        int count = 0;
        foreach (string line in File.ReadLines(Path.Combine(DataDirectory, "ud-english-ewt", $"en_ewt-ud-{part}.conllu")))
        {
            text.Append(line).Append('\n');
            if (line.Length == 0 && ++count == sentences)
            {
                break;
            }
        }

        return Write(name, text.ToString());
    }

    public string Write(string name, string content)
    {
        string path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindData()
    {
        if (Environment.GetEnvironmentVariable("SEQUENCE_DATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        var tried = new List<string>();
        for (var directory = new DirectoryInfo(Mlseq.RepoRoot); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "data");
            tried.Add(candidate);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No shared/data found; tried " + string.Join(", ", tried) + " (or set SEQUENCE_DATA).");
    }
}
