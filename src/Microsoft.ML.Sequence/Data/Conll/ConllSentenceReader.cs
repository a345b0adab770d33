using System.Globalization;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML.Sequence.Data.Conll;

/// <summary>Reads the sentences of a CoNLL or CoNLL-U file one at a time, checking every token line, and hands out each
/// token's fields as slices of the decoded line (no string per field).</summary>
/// <remarks>A blank (or whitespace-only) line ends a sentence, as does the end of the file. Comment lines and, in
/// whitespace files, <c>-DOCSTART-</c> lines are skipped; in CoNLL-U so are multiword-token ranges (<c>1-2</c>) and empty
/// nodes (<c>8.1</c>). Every problem is a <see cref="DataFormatException"/> naming the file, line and column.</remarks>
internal sealed class ConllSentenceReader : IDisposable
{
    private const string DocumentStart = "-DOCSTART-";
    private readonly ConllFileLayout _layout;
    private readonly Utf8LineReader _reader;
    private readonly List<(int Start, int Length)> _fields = [];

    public ConllSentenceReader(string path, ConllFileLayout layout)
    {
        _layout = layout;
        _reader = new Utf8LineReader(path);
    }

    /// <summary>1-based number of the line read last.</summary>
    public long LineNumber => _reader.LineNumber;

    /// <summary>Reads the next sentence into <paramref name="columns"/> (cleared first), one list per output column;
    /// lists whose <paramref name="active"/> entry is false stay empty, but their fields are still checked.</summary>
    /// <param name="columns">One list per output column of the layout.</param>
    /// <param name="active">Which columns to fill.</param>
    /// <returns>False at the end of the file.</returns>
    public bool TryReadSentence(List<ReadOnlyMemory<char>>[] columns, bool[] active)
    {
        foreach (List<ReadOnlyMemory<char>> list in columns)
        {
            list.Clear();
        }

        int tokens = 0;
        byte separator = _layout.IsConllU ? (byte)'\t' : (byte)' ';
        while (_reader.TryReadLine(out ReadOnlySpan<byte> bytes))
        {
            string line = _reader.Decode(bytes, separator, _layout.DescribeField);
            if (string.IsNullOrWhiteSpace(line))
            {
                if (tokens > 0)
                {
                    return true;
                }

                continue;
            }

            if ((_layout.CommentPrefix is { } prefix && line.StartsWith(prefix, StringComparison.Ordinal))
                || (!_layout.IsConllU && line.StartsWith(DocumentStart, StringComparison.Ordinal)))
            {
                continue;
            }

            Split(line);
            if (_layout.IsConllU && IsRangeOrEmptyNode(line))
            {
                continue;
            }

            CheckFieldCount();
            if (_layout.IsConllU)
            {
                CheckWordId(line, tokens + 1);
            }

            for (int c = 0; c < columns.Length; c++)
            {
                if (active[c])
                {
                    (int start, int length) = _fields[_layout.Fields[c]];
                    columns[c].Add(line.AsMemory(start, length));
                }
            }

            tokens++;
        }

        return tokens > 0;
    }

    public void Dispose() => _reader.Dispose();

    private void Split(string line)
    {
        _fields.Clear();
        if (_layout.IsConllU)
        {
            int start = 0;
            while (true)
            {
                int tab = line.IndexOf('\t', start);
                int end = tab < 0 ? line.Length : tab;
                _fields.Add((start, end - start));
                if (tab < 0)
                {
                    return;
                }

                start = tab + 1;
            }
        }

        for (int i = 0; i < line.Length;)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                _fields.Add((start, i - start));
            }
        }
    }

    /// <summary>Whether the ID field is a multiword-token range (<c>1-2</c>) or an empty node (<c>8.1</c>).</summary>
    private bool IsRangeOrEmptyNode(string line)
    {
        ReadOnlySpan<char> id = line.AsSpan(_fields[0].Start, _fields[0].Length);
        int mark = id.IndexOfAny('-', '.');
        return mark > 0 && mark < id.Length - 1 && IsDigits(id[..mark]) && IsDigits(id[(mark + 1)..]);
    }

    /// <summary>Throws unless the ID field holds the next word's number.</summary>
    private void CheckWordId(string line, int expected)
    {
        ReadOnlySpan<char> id = line.AsSpan(_fields[0].Start, _fields[0].Length);
        if (!IsDigits(id) || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value != expected)
        {
            throw new DataFormatException(_reader.Path, _reader.LineNumber, "field 1 (ID)",
                $"the word ID is \"{id}\"; expected {expected} (IDs count 1, 2, … within each sentence, which ends at a blank line)",
                quoteColumn: false);
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9');

    private void CheckFieldCount()
    {
        int count = _fields.Count;
        if (count != _layout.FieldCount)
        {
            string column = _layout.DescribeField(Math.Min(count, _layout.FieldCount));
            string expected = _layout.IsConllU
                ? $"CoNLL-U token lines have {_layout.FieldCount} tab-separated fields"
                : $"expected {_layout.FieldCount}, one per column ({string.Join(", ", _layout.ColumnNames)})";
            throw new DataFormatException(_reader.Path, _reader.LineNumber, column,
                $"the token line has {count} field{(count == 1 ? "" : "s")}; {expected}",
                quoteColumn: !column.StartsWith("field ", StringComparison.Ordinal));
        }

        if (_layout.IsConllU)
        {
            for (int f = 0; f < count; f++)
            {
                if (_fields[f].Length == 0)
                {
                    string column = _layout.DescribeField(f);
                    throw new DataFormatException(_reader.Path, _reader.LineNumber, column,
                        "empty value (CoNLL-U writes an unknown value as _)",
                        quoteColumn: !column.StartsWith("field ", StringComparison.Ordinal));
                }
            }
        }
    }
}
