using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>Reads and writes the safetensors format: named tensors that Python (<c>safetensors</c>, or a few lines of
/// <c>json</c> plus <c>torch.frombuffer</c>) loads without running code.</summary>
/// <remarks>
/// <para>Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype": …, "shape": […], "data_offsets": [begin, end]}</c> (offsets relative to the byte buffer), with an optional
/// <c>"__metadata__"</c> object of string values; then the byte buffer, little-endian, row-major.</para>
/// <para>This writer is deterministic: compact JSON, <c>__metadata__</c> first when present, tensors in ordinal order of
/// their names both in the header and in the buffer, header padded with spaces to a multiple of 8 bytes.
/// dtypes: F32, F64, I64, I32, U8, BOOL.</para>
/// </remarks>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (copied to the CPU) and optional string metadata.</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="tensors">Tensors by name.</param>
    /// <param name="metadata">String metadata, or null for none. Default: null.</param>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        WriteEntries(stream, tensors.Select(t => SafeTensorsEntry.FromTensor(t.Key, t.Value)).ToList(), metadata);
    }

    /// <summary>Reads every tensor. The caller owns (and disposes) the returned tensors.</summary>
    /// <param name="stream">Source, positioned at the start of the file.</param>
    /// <param name="device">Device for the tensors. Default: CPU.</param>
    /// <returns>Tensors by name.</returns>
    /// <exception cref="ModelFormatException">Truncated or malformed file.</exception>
    public static Dictionary<string, Tensor> Read(Stream stream, Device? device = null) =>
        Read(stream, out _, device);

    /// <summary>Reads every tensor and the metadata. The caller owns (and disposes) the returned tensors.</summary>
    /// <param name="stream">Source, positioned at the start of the file.</param>
    /// <param name="metadata">The <c>__metadata__</c> entries (empty when absent).</param>
    /// <param name="device">Device for the tensors. Default: CPU.</param>
    /// <returns>Tensors by name.</returns>
    /// <exception cref="ModelFormatException">Truncated or malformed file.</exception>
    public static Dictionary<string, Tensor> Read(Stream stream, out IReadOnlyDictionary<string, string> metadata,
        Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        IReadOnlyList<SafeTensorsEntry> entries = Parse(buffer.ToArray(), "safetensors stream", out metadata);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (SafeTensorsEntry entry in entries)
            {
                result.Add(entry.Name, entry.ToTensor(device));
            }
        }
        catch
        {
            foreach (Tensor t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }

    internal static void WriteEntries(Stream stream, IReadOnlyList<SafeTensorsEntry> entries,
        IReadOnlyDictionary<string, string>? metadata)
    {
        SafeTensorsEntry[] sorted = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (SafeTensorsEntry entry in sorted)
            {
                if (entry.Name == MetadataKey)
                {
                    throw new ArgumentException($"A tensor cannot be named {MetadataKey}.");
                }

                writer.WriteStartObject(entry.Name);
                writer.WriteString("dtype", SafeTensorsEntry.DTypeCode(entry.DType));
                writer.WriteStartArray("shape");
                foreach (long size in entry.Shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + entry.Data.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += entry.Data.Length;
            }

            writer.WriteEndObject();
        }

        int padding = (int)((8 - (json.Length % 8)) % 8);
        for (int i = 0; i < padding; i++)
        {
            json.WriteByte((byte)' ');
        }

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        json.Position = 0;
        json.CopyTo(stream);
        foreach (SafeTensorsEntry entry in sorted)
        {
            stream.Write(entry.Data.Span);
        }
    }

    internal static IReadOnlyList<SafeTensorsEntry> Parse(byte[] file, string source,
        out IReadOnlyDictionary<string, string> metadata)
    {
        if (file.Length < 8)
        {
            throw new ModelFormatException($"{source}: truncated safetensors data ({file.Length} bytes; the header length alone takes 8).");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
        {
            throw new ModelFormatException(
                $"{source}: truncated safetensors data: the header claims {headerLength} bytes but only {file.Length - 8} follow.");
        }

        int dataStart = 8 + (int)headerLength;
        long bufferLength = file.Length - dataStart;
        JsonElement root;
        try
        {
            string text = new UTF8Encoding(false, true).GetString(file, 8, (int)headerLength);
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            throw new ModelFormatException($"{source}: the safetensors header is not valid UTF-8 JSON: {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"{source}: the safetensors header is not a JSON object.");
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(SafeTensorsEntry Entry, long Begin, long End)>();
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name == MetadataKey)
            {
                foreach (JsonProperty item in property.Value.EnumerateObject())
                {
                    meta[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()!
                        : throw new ModelFormatException($"{source}: metadata value '{item.Name}' is not a string.");
                }

                continue;
            }

            entries.Add(ParseEntry(file, dataStart, bufferLength, property, source));
        }

        long expected = 0;
        foreach (var (entry, begin, end) in entries.OrderBy(e => e.Begin))
        {
            if (begin != expected)
            {
                throw new ModelFormatException($"{source}: tensor '{entry.Name}' starts at byte {begin} of the buffer, expected {expected} (gap or overlap).");
            }

            expected = end;
        }

        if (expected != bufferLength)
        {
            throw new ModelFormatException($"{source}: the tensors cover {expected} bytes but the buffer holds {bufferLength} (truncated or padded file).");
        }

        metadata = meta;
        return entries.Select(e => e.Entry).ToList();
    }

    private static (SafeTensorsEntry, long, long) ParseEntry(byte[] file, int dataStart, long bufferLength,
        JsonProperty property, string source)
    {
        string name = property.Name;
        try
        {
            JsonElement value = property.Value;
            string code = value.GetProperty("dtype").GetString() ?? string.Empty;
            if (!SafeTensorsEntry.TryParseDType(code, out ScalarType dtype))
            {
                throw new ModelFormatException($"{source}: tensor '{name}' has dtype '{code}'; supported: F32, F64, I64, I32, U8, BOOL.");
            }

            long[] shape = value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long[] offsets = value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (offsets.Length == 2 && offsets[1] > bufferLength && offsets[0] >= 0 && offsets[1] >= offsets[0])
            {
                throw new ModelFormatException(
                    $"{source}: truncated safetensors data: tensor '{name}' ends at byte {offsets[1]} of the buffer, which holds only {bufferLength} bytes.");
            }

            if (shape.Any(s => s < 0) || offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            {
                throw new ModelFormatException(
                    $"{source}: tensor '{name}' has shape {SafeTensorsEntry.ShapeText(shape)} and data_offsets [{string.Join(", ", offsets)}] outside a buffer of {bufferLength} bytes.");
            }

            long elements = shape.Aggregate(1L, (a, b) => checked(a * b));
            long bytes = checked(elements * SafeTensorsEntry.ElementSize(dtype));
            if (bytes != offsets[1] - offsets[0])
            {
                throw new ModelFormatException(
                    $"{source}: tensor '{name}' has shape {SafeTensorsEntry.ShapeText(shape)} {code} ({bytes} bytes) but data_offsets span {offsets[1] - offsets[0]} bytes.");
            }

            var data = new ReadOnlyMemory<byte>(file, dataStart + (int)offsets[0], (int)bytes);
            return (new SafeTensorsEntry(name, dtype, shape, data), offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ModelFormatException($"{source}: tensor '{name}' has a malformed header entry: {e.Message}", e);
        }
    }
}
