using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML.Sequence.Cli.Data;

/// <summary>A TSV or CSV file with a header row: its columns, a check of every row (field count, empty labels) that
/// names the file, line and column, and a load through ML.NET's text loader.</summary>
/// <remarks>The separator follows the extension (.csv: comma; .tsv, .txt: tab; otherwise a tab if the header has one).
/// CSV fields may be quoted ("a, b" and "" for a quote); a quoted field may not span lines.</remarks>
internal sealed class DelimitedFile
{
    private DelimitedFile(string path, char separator, string[] columns)
    {
        Path = path;
        Separator = separator;
        Columns = columns;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public char Separator { get; }

    public bool Quoted => Separator == ',';

    public IReadOnlyList<string> Columns { get; }

    public static DelimitedFile Open(string path, string role)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliException($"{role} file not found: {full}");
        }

        using var reader = new StreamReader(full, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new CliException($"{System.IO.Path.GetFileName(full)} line 1: the header row is empty (mlseq needs a header row naming the columns).");
        }

        string extension = System.IO.Path.GetExtension(full).ToLowerInvariant();
        char separator = extension switch
        {
            ".csv" => ',',
            ".tsv" or ".txt" => '\t',
            _ => header.Contains('\t') ? '\t' : ',',
        };
        string[] columns = Split(header, separator, separator == ',').ToArray();
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length == 0)
            {
                throw new CliException($"{System.IO.Path.GetFileName(full)} line 1: column {i + 1} of the header has no name.");
            }
        }

        string? twice = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (twice is not null)
        {
            throw new CliException($"{System.IO.Path.GetFileName(full)} line 1: the header names column \"{twice}\" twice.");
        }

        return new DelimitedFile(full, separator, columns);
    }

    /// <summary>The column's index, or an error that lists the columns the file has.</summary>
    public int Require(string column, string option)
    {
        int index = Array.IndexOf((string[])Columns, column);
        return index >= 0 ? index : throw new CliException(
            $"{option} {column}: {Name} has no column \"{column}\"; its columns are: {string.Join(", ", Columns)}.");
    }

    /// <summary>Reads every data row, checks its field count and that <paramref name="requiredColumns"/> are not empty,
    /// and returns the values of <paramref name="collectColumn"/> (one per row) with their line numbers.</summary>
    public IReadOnlyList<(long Line, string Value)> Check(IReadOnlyList<string> requiredColumns, string? collectColumn)
    {
        int[] required = requiredColumns.Select(c => Array.IndexOf((string[])Columns, c)).ToArray();
        int collect = collectColumn is null ? -1 : Array.IndexOf((string[])Columns, collectColumn);
        var values = new List<(long, string)>();
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        reader.ReadLine();
        long line = 1;
        while (reader.ReadLine() is string text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            List<string> fields = Split(text, Separator, Quoted, line, Name);
            if (fields.Count != Columns.Count)
            {
                throw new DataFormatException(Name, line, Columns[Math.Min(fields.Count, Columns.Count - 1)],
                    $"the row has {fields.Count} field(s) where the header has {Columns.Count} ({string.Join(", ", Columns)})");
            }

            foreach (int index in required)
            {
                if (fields[index].Trim().Length == 0)
                {
                    throw new DataFormatException(Name, line, Columns[index], "empty value");
                }
            }

            if (collect >= 0)
            {
                values.Add((line, fields[collect].Trim()));
            }
        }

        if (line == 1)
        {
            throw new CliException($"{Name} has a header but no data row.");
        }

        return values;
    }

    /// <summary>Loads the file through ML.NET's text loader: every column as Text, except <paramref name="typed"/>.</summary>
    public IDataView Load(MLContext ml, IReadOnlyDictionary<string, DataKind>? typed = null)
    {
        TextLoader.Column[] columns = Columns.Select((name, i) =>
            new TextLoader.Column(name, typed is not null && typed.TryGetValue(name, out DataKind kind) ? kind : DataKind.String, i)).ToArray();
        var options = new TextLoader.Options
        {
            Columns = columns,
            Separators = [Separator],
            HasHeader = true,
            AllowQuoting = Quoted,
            TrimWhitespace = false,
        };
        return ml.Data.LoadFromTextFile(Path, options);
    }

    private static List<string> Split(string line, char separator, bool quoted, long lineNumber = 1, string file = "")
    {
        var fields = new List<string>();
        if (!quoted)
        {
            fields.AddRange(line.Split(separator));
            return fields;
        }

        var field = new StringBuilder();
        bool inQuotes = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                inQuotes = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new DataFormatException(file, lineNumber, $"field {fields.Count + 1}", "a quoted field does not end on this line", quoteColumn: false);
        }

        fields.Add(field.ToString());
        return fields;
    }
}
