using System.Text;

namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Reads a file line by line as raw bytes (so an invalid UTF-8 sequence is reported on its own line), then
/// decodes strictly. Accepts \n and \r\n endings and skips a UTF-8 byte-order mark.</summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
        }
    }

    public string Path { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next line's bytes (without the line ending); valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (index >= 0)
            {
                line = Trim(_buffer.AsSpan(_start, index - _start));
                _start = index + 1;
                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = Trim(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    LineNumber++;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    /// <summary>Decodes a line strictly; on invalid UTF-8 reports the line and the field holding the bad bytes.</summary>
    public string Decode(ReadOnlySpan<byte> line, byte separator, Func<int, string> describeField)
    {
        try
        {
            return Strict.GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            int field = 0;
            foreach (Range range in line.Split(separator))
            {
                try
                {
                    Strict.GetString(line[range]);
                }
                catch (DecoderFallbackException)
                {
                    break;
                }

                field++;
            }

            string column = describeField(field);
            throw new DataFormatException(Path, LineNumber, column, "invalid UTF-8 byte sequence",
                quoteColumn: !column.StartsWith("field ", StringComparison.Ordinal), innerException: e);
        }
    }

    public void Dispose() => _stream.Dispose();

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
