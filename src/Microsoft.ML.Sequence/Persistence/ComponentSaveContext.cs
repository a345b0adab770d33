using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>What one of our transformers writes into a model (through <see cref="ComponentPersistence.Save"/>): options,
/// vocabularies and named tensors.</summary>
/// <remarks>Tensors are copied when written, so the component may dispose them afterwards. Tensor names are the
/// component's own (its module's state-dictionary keys, PyTorch's names).</remarks>
internal sealed class ComponentSaveContext
{
    private readonly Dictionary<string, SafeTensorsEntry> _tensors = new(StringComparer.Ordinal);
    private readonly JsonObject _vocabularies = new();
    private JsonNode? _options;

    internal ComponentSaveContext(string kind, int version)
    {
        Kind = kind;
        Version = version;
    }

    /// <summary>The component's kind name.</summary>
    public string Kind { get; }

    /// <summary>The component's format version being written.</summary>
    public int Version { get; }

    internal IReadOnlyDictionary<string, SafeTensorsEntry> Tensors => _tensors;

    /// <summary>Writes the component's options (any object System.Text.Json can serialise; enums as names).</summary>
    /// <typeparam name="T">Options type.</typeparam>
    /// <param name="options">The options.</param>
    public void WriteOptions<T>(T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = JsonSerializer.SerializeToNode(options, ManifestJson.Options);
    }

    /// <summary>Writes a vocabulary under <paramref name="name"/>.</summary>
    /// <param name="name">Name unique within the component.</param>
    /// <param name="vocabulary">The vocabulary.</param>
    public void WriteVocabulary(string name, Vocabulary vocabulary)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(vocabulary);
        _vocabularies[name] = ManifestJson.VocabularyToJson(vocabulary);
    }

    /// <summary>Writes a copy of <paramref name="tensor"/> under <paramref name="name"/>.</summary>
    /// <param name="name">Name unique within the component.</param>
    /// <param name="tensor">The tensor (any device; float32, float64, int64, int32, uint8 or bool).</param>
    public void WriteTensor(string name, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_tensors.TryAdd(name, SafeTensorsEntry.FromTensor(name, tensor)))
        {
            throw new ArgumentException($"Tensor '{name}' was already written by this component.", nameof(name));
        }
    }

    /// <summary>Writes copies of all <paramref name="tensors"/>, e.g. a module's state dictionary.</summary>
    /// <param name="tensors">Tensors by name.</param>
    public void WriteTensors(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (KeyValuePair<string, Tensor> pair in tensors)
        {
            WriteTensor(pair.Key, pair.Value);
        }
    }

    internal JsonObject ToManifestEntry(string prefix) => new()
    {
        ["kind"] = Kind,
        ["version"] = Version,
        ["options"] = _options,
        ["vocabularies"] = _vocabularies,
        ["tensors"] = new JsonObject(_tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t =>
            new KeyValuePair<string, JsonNode?>(t.Name, new JsonObject
            {
                ["key"] = prefix + t.Name,
                ["dtype"] = SafeTensorsEntry.DTypeCode(t.DType),
                ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            }))),
    };
}
