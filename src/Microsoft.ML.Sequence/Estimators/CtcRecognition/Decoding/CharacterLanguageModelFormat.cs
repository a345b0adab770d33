using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>The saved form of a <see cref="CharacterLanguageModel"/>: a header (magic "MLSQCLM1" in ASCII, format
/// version as Int32, payload length as Int64, SHA-256 of the payload) and the payload, little-endian: order, smoothing,
/// k and D, the characters, then per order m = 1 … n the histories (m - 1 symbols each) with their successors and counts.</summary>
internal static class CharacterLanguageModelFormat
{
    /// <summary>The version this code writes and the newest it reads.</summary>
    public const int Version = 1;

    private static readonly byte[] Magic = "MLSQCLM1"u8.ToArray();

    public static void Write(CharacterLanguageModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(model.Order);
            writer.Write((int)model.Smoothing);
            writer.Write(model.AddKCount);
            writer.Write(model.Discount);
            writer.Write(model.Characters.Length);
            foreach (char c in model.Characters)
            {
                writer.Write((ushort)c);
            }

            for (int m = 1; m <= model.Order; m++)
            {
                Dictionary<string, CharacterContext> table = model.Tables[m - 1];
                writer.Write(table.Count);
                // Ordinal order makes the bytes a function of the model alone (equal models save equal files).
                foreach (string history in table.Keys.Order(StringComparer.Ordinal))
                {
                    foreach (char symbol in history)
                    {
                        writer.Write((ushort)symbol);
                    }

                    CharacterContext node = table[history];
                    writer.Write(node.Successors.Length);
                    for (int j = 0; j < node.Successors.Length; j++)
                    {
                        writer.Write((ushort)node.Successors[j]);
                        writer.Write(node.Counts[j]);
                    }
                }
            }
        }

        byte[] bytes = payload.ToArray();
        using var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        header.Write(Magic);
        header.Write(Version);
        header.Write((long)bytes.Length);
        header.Write(SHA256.HashData(bytes));
        header.Write(bytes);
    }

    public static CharacterLanguageModel Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string where = $"Character language model ({source})";
        byte[] head = new byte[Magic.Length + sizeof(int) + sizeof(long) + SHA256.HashSizeInBytes];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got < Magic.Length || !head.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{where}: not a character language model (the data does not start with \"MLSQCLM1\").");
        }

        if (got < head.Length)
        {
            throw new ModelFormatException($"{where}: truncated: the header needs {head.Length} bytes, the data has {got}.");
        }

        int version = BitConverter.ToInt32(head, Magic.Length);
        if (version > Version)
        {
            throw new ModelFormatException(
                $"{where}: written in format version {version}, newer than this library reads ({Version}); update Microsoft.ML.Sequence.");
        }

        if (version < 1)
        {
            throw new ModelFormatException($"{where}: format version {version} is not valid.");
        }

        long length = BitConverter.ToInt64(head, Magic.Length + sizeof(int));
        if (length < 0 || length > Array.MaxLength)
        {
            throw new ModelFormatException($"{where}: payload length {length} is not valid.");
        }

        byte[] payload = new byte[length];
        int read = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (read < length)
        {
            throw new ModelFormatException($"{where}: truncated: the payload should have {length} bytes, the data has {read}.");
        }

        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(head.AsSpan(Magic.Length + sizeof(int) + sizeof(long))))
        {
            throw new ModelFormatException($"{where}: corrupt: the payload's SHA-256 does not match the header's.");
        }

        try
        {
            return Parse(payload, where);
        }
        catch (EndOfStreamException e)
        {
            // The checksum matched, so the writer itself produced short data: a forged or foreign file.
            throw new ModelFormatException($"{where}: the payload ends early.", e);
        }
    }

    private static CharacterLanguageModel Parse(byte[] payload, string where)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        var options = new CharacterLanguageModelOptions
        {
            Order = reader.ReadInt32(),
            Smoothing = (LanguageModelSmoothing)reader.ReadInt32(),
            AddKCount = reader.ReadDouble(),
            Discount = reader.ReadDouble(),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ModelFormatException($"{where}: invalid settings: {e.Message}", e);
        }

        int characterCount = Count(reader, payload.Length / sizeof(ushort), where, "characters");
        var characters = new char[characterCount];
        for (int i = 0; i < characterCount; i++)
        {
            characters[i] = (char)reader.ReadUInt16();
            if (i > 0 && characters[i] <= characters[i - 1])
            {
                throw new ModelFormatException($"{where}: the characters are not in strictly ascending order at index {i}.");
            }
        }

        int symbolCount = characterCount + CharacterNgramCounter.FirstCharacter;
        var tables = new Dictionary<string, CharacterContext>[options.Order];
        Span<char> history = stackalloc char[options.Order];
        for (int m = 1; m <= options.Order; m++)
        {
            int contexts = Count(reader, payload.Length, where, $"histories of order {m}");
            var table = new Dictionary<string, CharacterContext>(contexts, StringComparer.Ordinal);
            for (int h = 0; h < contexts; h++)
            {
                for (int i = 0; i < m - 1; i++)
                {
                    history[i] = (char)Symbol(reader, symbolCount, where, m);
                }

                int successorCount = Count(reader, symbolCount, where, $"successors of a history of order {m}");
                var successors = new int[successorCount];
                var counts = new long[successorCount];
                for (int j = 0; j < successorCount; j++)
                {
                    successors[j] = Symbol(reader, symbolCount, where, m);
                    counts[j] = reader.ReadInt64();
                    if (counts[j] < 1 || (j > 0 && successors[j] <= successors[j - 1]))
                    {
                        throw new ModelFormatException($"{where}: order {m}, history {h}: successor {j} is out of order or has count {counts[j]}.");
                    }
                }

                if (!table.TryAdd(new string(history[..(m - 1)]), new CharacterContext(successors, counts)))
                {
                    throw new ModelFormatException($"{where}: order {m}: history {h} appears twice.");
                }
            }

            tables[m - 1] = table;
        }

        if (reader.BaseStream.Position != payload.Length)
        {
            throw new ModelFormatException($"{where}: {payload.Length - reader.BaseStream.Position} bytes follow the last table.");
        }

        return new CharacterLanguageModel(options, new string(characters), tables);
    }

    private static int Count(BinaryReader reader, int limit, string where, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > limit)
        {
            throw new ModelFormatException($"{where}: the number of {what} ({count}) is not valid.");
        }

        return count;
    }

    private static int Symbol(BinaryReader reader, int symbolCount, string where, int order)
    {
        int symbol = reader.ReadUInt16();
        if (symbol >= symbolCount)
        {
            throw new ModelFormatException($"{where}: order {order}: symbol {symbol} is beyond the {symbolCount} symbols.");
        }

        return symbol;
    }
}
