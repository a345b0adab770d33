using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.MlNet;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>
/// Puts one of our transformers into an ML.NET model.zip and takes it out again: ML.NET's version header, then a
/// <see cref="ModelPayload"/> whose settings entry is the component's JSON (kind, version, options, vocabularies and the
/// dtype and shape of every tensor) and whose weights entry is a safetensors file (PyTorch names, readable from Python).
/// </summary>
internal static class ComponentPersistence
{
    /// <summary>Writes <paramref name="component"/> into the model being saved.</summary>
    /// <param name="context">The context ML.NET passed to <c>ICanSaveModel.Save</c>.</param>
    /// <param name="version">The transformer's version header.</param>
    /// <param name="component">What the transformer wrote.</param>
    public static void Save(ModelSaveContext context, VersionInfo version, ComponentSaveContext component)
    {
        // Every byte is ready before the first one goes into the model, so a failure here never leaves half an entry.
        string settings = component.ToManifestEntry(prefix: string.Empty).ToJsonString(ManifestJson.Options);
        using var weights = new MemoryStream();
        SafeTensorsFile.WriteEntries(weights, component.Tensors.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(),
            new Dictionary<string, string> { ["format"] = "pt" });
        var payload = new ModelPayload(settings, weights.ToArray());
        MlNetInternals.BeginSave(context, version);
        payload.Save(context);
    }

    /// <summary>Reads a component saved by <see cref="Save"/>, checking every entry's SHA-256 and every tensor's dtype and
    /// shape against the settings.</summary>
    /// <param name="context">The context ML.NET passed to the transformer's <c>Create</c> factory.</param>
    /// <param name="version">The transformer's version header.</param>
    /// <param name="kind">The component kind this transformer saves (e.g. <c>Sequence.RecurrentTextClassifier</c>).</param>
    /// <param name="readableVersion">The newest component version this code reads.</param>
    /// <returns>The component's settings and tensors, on the CPU.</returns>
    /// <exception cref="ModelFormatException">The model is truncated, forged, newer or inconsistent; the message says which.</exception>
    public static ComponentLoadContext Load(ModelLoadContext context, VersionInfo version, string kind, int readableVersion)
    {
        try
        {
            MlNetInternals.BeginLoad(context, version);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ModelFormatException($"{kind}: the model's version header does not match this Microsoft.ML.Sequence ({e.Message}).", e);
        }

        ModelPayload payload = ModelPayload.Load(context, kind);
        JsonObject entry;
        try
        {
            entry = JsonNode.Parse(payload.SettingsJson) as JsonObject
                ?? throw new ModelFormatException($"{kind}: entry '{ModelPayload.SettingsEntryName}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{kind}: entry '{ModelPayload.SettingsEntryName}' is not valid JSON: {e.Message}", e);
        }

        string savedKind = ManifestJson.Text(entry["kind"], $"{kind}: 'kind'");
        int savedVersion = ManifestJson.Integer(entry["version"], $"{kind}: 'version'");
        if (savedKind != kind)
        {
            throw new ModelFormatException($"{kind}: the model holds a '{savedKind}' component.");
        }

        if (savedVersion > readableVersion || savedVersion < 1)
        {
            throw new ModelFormatException(
                $"{kind}: written with component version {savedVersion}; this Microsoft.ML.Sequence reads versions 1 to {readableVersion} (a newer model, or a corrupt one).");
        }

        var stored = SafeTensorsFile.Parse(payload.Weights, $"{kind}: {ModelPayload.WeightsEntryName}", out _)
            .ToDictionary(e => e.Name, StringComparer.Ordinal);
        var tensors = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        if (entry["tensors"] is JsonObject declared)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in declared)
            {
                tensors.Add(pair.Key, Match(kind, pair.Key, pair.Value, stored));
            }
        }

        if (stored.Count != tensors.Count)
        {
            throw new ModelFormatException(
                $"{kind}: {ModelPayload.WeightsEntryName} holds {stored.Count} tensors but the settings declare {tensors.Count}.");
        }

        return new ComponentLoadContext(kind, entry, savedVersion, tensors, CPU);
    }

    private static SafeTensorsEntry Match(string where, string name, JsonNode? node, Dictionary<string, SafeTensorsEntry> weights)
    {
        string key = ManifestJson.Text(node?["key"], $"{where}: tensor '{name}' key");
        string dtype = ManifestJson.Text(node?["dtype"], $"{where}: tensor '{name}' dtype");
        long[] shape;
        try
        {
            shape = (node!["shape"] as JsonArray)!.Select(s => s!.GetValue<long>()).ToArray();
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{where}: tensor '{name}' has no valid shape in the settings.", e);
        }

        if (!weights.TryGetValue(key, out SafeTensorsEntry? stored))
        {
            throw new ModelFormatException($"{where}: the settings name tensor '{key}' but {ModelPayload.WeightsEntryName} has no such tensor.");
        }

        if (SafeTensorsEntry.DTypeCode(stored.DType) != dtype || !stored.Shape.SequenceEqual(shape))
        {
            throw new ModelFormatException(
                $"{where}: tensor '{key}' is {SafeTensorsEntry.ShapeText(shape)} {dtype} in the settings but {SafeTensorsEntry.ShapeText(stored.Shape)} {SafeTensorsEntry.DTypeCode(stored.DType)} in {ModelPayload.WeightsEntryName} (shape mismatch).");
        }

        return new SafeTensorsEntry(name, stored.DType, stored.Shape, stored.Data);
    }
}
