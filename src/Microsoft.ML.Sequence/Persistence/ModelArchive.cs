using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>Saves a transformer (or chain) with its input schema to one zip file, and loads it back.</summary>
/// <remarks>
/// <para>The zip holds <c>manifest.json</c> (format name and version, the input and output schemas, and for each component
/// its kind, version, options, vocabularies, schemas and the names, dtypes and shapes of its tensors) and
/// <c>weights.safetensors</c> (every component's tensors, named <c>&lt;component index&gt;.&lt;tensor name&gt;</c>).</para>
/// <para>Saving to a path writes a temporary file in the same directory and renames it into place, so a failure
/// mid-save leaves the previous file as it was and no temporary file behind. Loading rejects truncated files, forged or
/// inconsistent manifests, newer format or component versions and tensor shape mismatches with
/// <see cref="ModelFormatException"/>.</para>
/// </remarks>
public static class ModelArchive
{
    /// <summary>Format version this code writes and the highest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Format name in the manifest.</summary>
    public const string FormatName = "Microsoft.ML.Sequence.Model";

    /// <summary>Name of the manifest entry in the zip.</summary>
    public const string ManifestEntryName = "manifest.json";

    /// <summary>Name of the weights entry in the zip.</summary>
    public const string WeightsEntryName = "weights.safetensors";

    /// <summary>Saves atomically to <paramref name="path"/> (temporary file in the same directory, then rename).</summary>
    /// <param name="model">The transformer or chain; every part must be an <see cref="IPersistableComponent"/>.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="path">Destination file; replaced when it exists.</param>
    public static void Save(ISequenceTransformer model, SequenceSchema inputSchema, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Saves to <paramref name="stream"/>.</summary>
    /// <param name="model">The transformer or chain; every part must be an <see cref="IPersistableComponent"/>.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="stream">Destination; left open.</param>
    public static void Save(ISequenceTransformer model, SequenceSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        var components = new JsonArray();
        var tensors = new List<SafeTensorsEntry>();
        List<ISequenceTransformer> parts = Flatten(model).ToList();
        for (int i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not IPersistableComponent persistable ||
                parts[i].GetType().GetCustomAttribute<PersistableComponentAttribute>() is not { } attribute)
            {
                throw new NotSupportedException(
                    $"{parts[i].GetType().FullName} (part {i} of the model) cannot be saved: it must implement {nameof(IPersistableComponent)} and carry [PersistableComponent].");
            }

            var context = new ComponentSaveContext(attribute.Kind, attribute.Version);
            persistable.Save(context);
            string prefix = $"{i}.";
            components.Add(context.ToManifestEntry(prefix));
            tensors.AddRange(context.Tensors.Values.Select(t => new SafeTensorsEntry(prefix + t.Name, t.DType, t.Shape, t.Data)));
        }

        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["createdBy"] = $"Microsoft.ML.Sequence {typeof(ModelArchive).Assembly.GetName().Version}",
            ["inputSchema"] = ManifestJson.SchemaToJson(inputSchema),
            // Informational (key counts only): the vocabularies live with the components that own them.
            ["outputSchema"] = ManifestJson.SchemaToJson(model.GetOutputSchema(inputSchema), includeVocabularies: false),
            ["components"] = components,
        };

        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (Stream entry = CreateEntry(zip, ManifestEntryName, CompressionLevel.Optimal))
        {
            entry.Write(JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Options));
        }

        using (Stream entry = CreateEntry(zip, WeightsEntryName, CompressionLevel.NoCompression))
        {
            SafeTensorsFile.WriteEntries(entry, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
    }

    /// <summary>An entry stamped with a fixed time, so the same model always saves to the same bytes (the zip header
    /// would otherwise carry the save's wall-clock time, at two-second resolution).</summary>
    private static Stream CreateEntry(ZipArchive zip, string name, CompressionLevel level)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry.Open();
    }

    /// <summary>Loads a model saved by <see cref="Save(ISequenceTransformer, SequenceSchema, string)"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="device">Device for the model's tensors, or null for the CPU. Default: null.</param>
    /// <returns>The transformer (a <see cref="SequenceTransformerChain{TLast}"/> when several were saved).</returns>
    /// <exception cref="ModelFormatException">The file is truncated, forged, newer or inconsistent; the message names it.</exception>
    public static ISequenceTransformer Load(string path, out SequenceSchema inputSchema, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream, out inputSchema, device, path);
    }

    /// <summary>Loads a model from <paramref name="stream"/>.</summary>
    /// <param name="stream">A seekable stream holding the archive.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="device">Device for the model's tensors, or null for the CPU. Default: null.</param>
    /// <param name="sourceName">Name used in error messages, e.g. the file path. Default: "model stream".</param>
    /// <returns>The transformer (a <see cref="SequenceTransformerChain{TLast}"/> when several were saved).</returns>
    /// <exception cref="ModelFormatException">The data is truncated, forged, newer or inconsistent.</exception>
    public static ISequenceTransformer Load(Stream stream, out SequenceSchema inputSchema, Device? device = null,
        string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = sourceName ?? "model stream";
        JsonObject manifest;
        byte[] weights;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            manifest = ReadManifest(zip, source);
            weights = ReadEntry(zip, WeightsEntryName, source);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException($"{source}: not a model archive, or truncated: {e.Message}", e);
        }

        CheckFormat(manifest, source);
        inputSchema = ManifestJson.SchemaFromJson(manifest["inputSchema"], $"{source}: inputSchema");
        var entries = SafeTensorsFile.Parse(weights, $"{source}: {WeightsEntryName}", out _).ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (manifest["components"] is not JsonArray components || components.Count == 0)
        {
            throw new ModelFormatException($"{source}: the manifest lists no components.");
        }

        var loaded = new List<ISequenceTransformer>();
        try
        {
            for (int i = 0; i < components.Count; i++)
            {
                loaded.Add(ModelComponentLoader.Load(source, i, components[i] as JsonObject, entries, device));
            }
        }
        catch
        {
            foreach (ISequenceTransformer part in loaded)
            {
                (part as IDisposable)?.Dispose();
            }

            throw;
        }

        return loaded.Count == 1 ? loaded[0] : new SequenceTransformerChain<ISequenceTransformer>(loaded);
    }

    private static IEnumerable<ISequenceTransformer> Flatten(ISequenceTransformer model)
    {
        if (model is IEnumerable<ISequenceTransformer> chain)
        {
            foreach (ISequenceTransformer part in chain)
            {
                foreach (ISequenceTransformer inner in Flatten(part))
                {
                    yield return inner;
                }
            }
        }
        else
        {
            yield return model;
        }
    }

    private static JsonObject ReadManifest(ZipArchive zip, string source)
    {
        byte[] bytes = ReadEntry(zip, ManifestEntryName, source);
        try
        {
            return JsonNode.Parse(bytes) as JsonObject
                ?? throw new ModelFormatException($"{source}: {ManifestEntryName} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{source}: {ManifestEntryName} is not valid JSON: {e.Message}", e);
        }
    }

    private static byte[] ReadEntry(ZipArchive zip, string name, string source)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new ModelFormatException($"{source}: the archive has no {name}.");
        using Stream input = entry.Open();
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        if (buffer.Length != entry.Length)
        {
            throw new ModelFormatException($"{source}: {name} is truncated ({buffer.Length} of {entry.Length} bytes).");
        }

        return buffer.ToArray();
    }

    private static void CheckFormat(JsonObject manifest, string source)
    {
        string format = ManifestJson.Text(manifest["format"], $"{source}: manifest 'format'");
        if (format != FormatName)
        {
            throw new ModelFormatException($"{source}: manifest format is '{format}', expected '{FormatName}'.");
        }

        int version = ManifestJson.Integer(manifest["formatVersion"], $"{source}: manifest 'formatVersion'");
        if (version > FormatVersion)
        {
            throw new ModelFormatException(
                $"{source}: written with model format version {version}, newer than this library reads (up to {FormatVersion}); update Microsoft.ML.Sequence.");
        }

        if (version < 1)
        {
            throw new ModelFormatException($"{source}: model format version {version} is not valid.");
        }
    }
}
