using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Estimators.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>What a transformer's loader reads back (from <see cref="ComponentPersistence.Load"/>): the options,
/// vocabularies and tensors its save wrote into a <see cref="ComponentSaveContext"/>.</summary>
/// <remarks>Every tensor declared in the settings has already been checked against the weights entry (present,
/// same dtype and shape). Tensors returned by <see cref="ReadTensor"/> and <see cref="ReadTensors"/> are new; the
/// component owns them.</remarks>
internal sealed class ComponentLoadContext
{
    private readonly JsonObject _entry;
    private readonly Dictionary<string, SafeTensorsEntry> _tensors;

    internal ComponentLoadContext(string kind, JsonObject entry, int version, Dictionary<string, SafeTensorsEntry> tensors, Device? device)
    {
        Source = kind;
        _entry = entry;
        Kind = kind;
        Version = version;
        _tensors = tensors;
        Device = device;
    }

    /// <summary>The archive being read (a path, or a description of the stream).</summary>
    public string Source { get; }

    /// <summary>The component's kind name.</summary>
    public string Kind { get; }

    /// <summary>The format version that wrote this component (at most the loaded code's version).</summary>
    public int Version { get; }

    /// <summary>Device tensors should be created on, or null for the CPU.</summary>
    public Device? Device { get; }

    /// <summary>Names of the tensors the component wrote.</summary>
    public IReadOnlyCollection<string> TensorNames => _tensors.Keys;

    private string Where => $"{Kind} v{Version}";

    /// <summary>Reads the options written by <see cref="ComponentSaveContext.WriteOptions{T}"/>.</summary>
    /// <typeparam name="T">Options type.</typeparam>
    /// <returns>The options.</returns>
    /// <exception cref="ModelFormatException">No options, or they do not deserialise to <typeparamref name="T"/>.</exception>
    public T ReadOptions<T>()
    {
        JsonNode node = _entry["options"] ?? throw new ModelFormatException($"{Where}: the settings hold no options.");
        try
        {
            return node.Deserialize<T>(ManifestJson.Options) ?? throw new ModelFormatException($"{Where}: options are null.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{Where}: options do not read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>Reads the vocabulary written under <paramref name="name"/>.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ModelFormatException">Missing or malformed.</exception>
    public Vocabulary ReadVocabulary(string name) =>
        ManifestJson.VocabularyFromJson(_entry["vocabularies"]?[name]
            ?? throw new ModelFormatException($"{Where}: the settings hold no vocabulary '{name}'."), $"{Where} vocabulary '{name}'");

    /// <summary>The shape of tensor <paramref name="name"/> as stored.</summary>
    /// <param name="name">Tensor name.</param>
    /// <returns>Its shape.</returns>
    /// <exception cref="ModelFormatException">No such tensor.</exception>
    public IReadOnlyList<long> GetTensorShape(string name) => Entry(name).Shape;

    /// <summary>Reads tensor <paramref name="name"/>, checking its shape when <paramref name="expectedShape"/> is given.</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="expectedShape">The shape the component needs, or null to accept any. Default: null.</param>
    /// <returns>A new tensor the caller owns, on <see cref="Device"/>.</returns>
    /// <exception cref="ModelFormatException">No such tensor, or its shape differs (the message gives both shapes).</exception>
    public Tensor ReadTensor(string name, IReadOnlyList<long>? expectedShape = null)
    {
        SafeTensorsEntry entry = Entry(name);
        if (expectedShape is not null && !entry.Shape.SequenceEqual(expectedShape))
        {
            throw new ModelFormatException(
                $"{Where}: tensor '{name}' has shape {SafeTensorsEntry.ShapeText(entry.Shape)} but the component expects {SafeTensorsEntry.ShapeText(expectedShape)}.");
        }

        return entry.ToTensor(Device);
    }

    /// <summary>Reads every tensor of the component, e.g. for a module's <c>LoadStateDictionary</c>.</summary>
    /// <returns>New tensors by name; the caller owns them.</returns>
    public Dictionary<string, Tensor> ReadTensors()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (SafeTensorsEntry entry in _tensors.Values)
        {
            result.Add(entry.Name, entry.ToTensor(Device));
        }

        return result;
    }

    /// <summary>Runs the saved options' own checks: a value they refuse (an edited settings entry, say) is a fault of the
    /// model file, so it is reported as one.</summary>
    /// <param name="validate">The options' <c>Validate</c>.</param>
    /// <exception cref="ModelFormatException"><paramref name="validate"/> threw; the message gives its reason.</exception>
    public void CheckOptions(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{Kind}: a saved option is invalid: {e.Message}", e);
        }
    }

    /// <summary>Copies every saved tensor into <paramref name="network"/> (see <see cref="LoadWeights"/>) and moves it to
    /// <paramref name="device"/>; the network is disposed when either fails.</summary>
    /// <typeparam name="TNetwork">The network's type.</typeparam>
    /// <param name="network">The freshly built network of the saved options; this method owns it until it returns.</param>
    /// <param name="owner">What the network belongs to, for the message (e.g. "classifier").</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="otherTensors">Saved tensors that are not the network's (e.g. a language model's bytes), skipped.</param>
    /// <returns><paramref name="network"/>, loaded, on <paramref name="device"/>.</returns>
    /// <exception cref="ModelFormatException">The saved weights do not fit the network.</exception>
    public TNetwork LoadNetwork<TNetwork>(TNetwork network, string owner, Device device, params string[] otherTensors)
        where TNetwork : nn.Module
    {
        try
        {
            LoadWeights(network, owner, otherTensors);
            network.to(device);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Copies every saved tensor into <paramref name="network"/> (the same names and shapes, no more, no fewer),
    /// then frees the copies read.</summary>
    /// <param name="network">The freshly built network of the saved options.</param>
    /// <param name="owner">What the network belongs to, for the message (e.g. "classifier").</param>
    /// <param name="otherTensors">Saved tensors that are not the network's (e.g. a language model's bytes), skipped.</param>
    /// <exception cref="ModelFormatException">The saved weights do not fit the network; the message names the tensors.</exception>
    private void LoadWeights(nn.Module network, string owner, string[] otherTensors)
    {
        Dictionary<string, Tensor> state = ReadTensors();
        foreach (string name in otherTensors)
        {
            if (state.Remove(name, out Tensor? other))
            {
                other.Dispose();
            }
        }

        try
        {
            StateDictionaries.Load(network, state, network.GetType().Name);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{Kind}: the {owner}'s weights do not fit its options: {e.Message}", e);
        }
        finally
        {
            foreach (Tensor tensor in state.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private SafeTensorsEntry Entry(string name) => _tensors.TryGetValue(name, out SafeTensorsEntry? entry) ? entry
        : throw new ModelFormatException($"{Where}: no tensor '{name}'; it has: {string.Join(", ", _tensors.Keys)}.");
}
