using System.Text;

namespace Microsoft.ML.Sequence.Cli.Data;

/// <summary>Writes prediction files atomically: into a temporary file beside the target, renamed over it when complete.</summary>
internal static class OutputFile
{
    /// <summary>A TSV with a header; tabs and line breaks inside values become spaces. Returns the data rows written.</summary>
    public static long WriteTsv(string path, IReadOnlyList<string> header, IEnumerable<string[]> rows) => Write(path, writer =>
    {
        writer.WriteLine(string.Join('\t', header.Select(Clean)));
        long count = 0;
        foreach (string[] row in rows)
        {
            writer.WriteLine(string.Join('\t', row.Select(Clean)));
            count++;
        }

        return count;
    });

    public static long Write(string path, Func<TextWriter, long> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new CliException($"--output {path}: the folder {directory} does not exist.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            long count;
            using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
            {
                count = write(writer);
            }

            File.Move(temporary, full, overwrite: true);
            return count;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string Clean(string value) => value.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
