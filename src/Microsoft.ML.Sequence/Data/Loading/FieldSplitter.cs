using System.Text;

namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Splits one decoded line into fields, honouring quotes when asked.</summary>
internal static class FieldSplitter
{
    /// <summary>Splits <paramref name="line"/>; returns an error text for an unterminated quote (field index in
    /// <paramref name="errorField"/>).</summary>
    public static List<string> Split(string line, DelimitedTextOptions options, out string? error, out int errorField)
    {
        error = null;
        errorField = -1;
        var fields = new List<string>();
        if (!options.AllowQuoting || line.IndexOf('"') < 0)
        {
            foreach (string field in line.Split(options.Separator))
            {
                fields.Add(options.TrimWhitespace ? field.Trim() : field);
            }

            return fields;
        }

        int i = 0;
        while (true)
        {
            while (options.TrimWhitespace && i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                var text = new StringBuilder();
                int j = i + 1;
                while (true)
                {
                    if (j >= line.Length)
                    {
                        error = "unterminated quoted field (quoted fields cannot span lines)";
                        errorField = fields.Count;
                        return fields;
                    }

                    if (line[j] == '"')
                    {
                        if (j + 1 < line.Length && line[j + 1] == '"')
                        {
                            text.Append('"');
                            j += 2;
                            continue;
                        }

                        j++;
                        break;
                    }

                    text.Append(line[j++]);
                }

                int next = line.IndexOf(options.Separator, j);
                string rest = next < 0 ? line[j..] : line[j..next];
                if (rest.Trim().Length > 0)
                {
                    error = "text after the closing quote";
                    errorField = fields.Count;
                    return fields;
                }

                fields.Add(text.ToString());
                if (next < 0) return fields;
                i = next + 1;
            }
            else
            {
                int next = line.IndexOf(options.Separator, i);
                string field = next < 0 ? line[i..] : line[i..next];
                fields.Add(options.TrimWhitespace ? field.Trim() : field);
                if (next < 0) return fields;
                i = next + 1;
            }
        }
    }
}
