using System.Text;

namespace TextLineRecognition;

/// <summary>Real sentences for text lines: SST-2 training sentences and UD English EWT sentences (<c># text =</c>),
/// printable ASCII only, cut at word boundaries into lines of at most <see cref="MaxLength"/> characters.</summary>
internal static class TextLineCorpus
{
    public const int MaxLength = 40;
    public const int MinLength = 8;

    /// <summary>Distinct lines from both sources, in a seeded random order.</summary>
    public static List<string> Load(string dataDirectory, int seed)
    {
        var lines = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(dataDirectory, "sst2", "train.tsv")).Skip(1))
        {
            int tab = line.IndexOf('\t');
            AddChunks(lines, tab >= 0 ? line[(tab + 1)..] : line);
        }

        foreach (string file in new[] { "en_ewt-ud-train.conllu", "en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu" })
        {
            foreach (string line in File.ReadLines(Path.Combine(dataDirectory, "ud-english-ewt", file)))
            {
                if (line.StartsWith("# text = ", StringComparison.Ordinal))
                {
                    AddChunks(lines, line["# text = ".Length..]);
                }
            }
        }

        List<string> distinct = lines.Distinct(StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(distinct));
        return distinct;
    }

    private static void AddChunks(List<string> lines, string sentence)
    {
        if (sentence.Any(c => c < ' ' || c > '~'))
        {
            return;
        }

        var current = new StringBuilder();
        foreach (string word in sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length > MaxLength)
            {
                return;
            }

            if (current.Length > 0 && current.Length + 1 + word.Length > MaxLength)
            {
                Add(lines, current.ToString());
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : "").Append(word);
        }

        Add(lines, current.ToString());
    }

    private static void Add(List<string> lines, string line)
    {
        if (line.Length >= MinLength)
        {
            lines.Add(line);
        }
    }
}
