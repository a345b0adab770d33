using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.ML.Sequence.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>Loads one component of a model archive: resolves its kind, checks versions and its tensors against the
/// weights file, then calls its <c>Load</c>.</summary>
internal static class ModelComponentLoader
{
    public static ISequenceTransformer Load(string source, int index, JsonObject? entry,
        Dictionary<string, SafeTensorsEntry> weights, Device? device)
    {
        string where = $"{source}: component {index}";
        if (entry is null)
        {
            throw new ModelFormatException($"{where} is not a JSON object.");
        }

        string kind = ManifestJson.Text(entry["kind"], $"{where} 'kind'");
        int version = ManifestJson.Integer(entry["version"], $"{where} 'version'");
        if (!ComponentRegistry.TryResolve(kind, out RegisteredComponent? registered))
        {
            throw new ModelFormatException(
                $"{where}: unknown component kind '{kind}'; load the assembly that defines it (a class with [PersistableComponent(\"{kind}\", …)]) or call ComponentRegistry.Register.");
        }

        if (version > registered!.Version || version < 1)
        {
            throw new ModelFormatException(
                $"{where}: '{kind}' was written with component version {version}; this code ({registered.Type.FullName}) reads versions 1 to {registered.Version}.");
        }

        var tensors = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        if (entry["tensors"] is JsonObject declared)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in declared)
            {
                tensors.Add(pair.Key, Match(where, pair.Key, pair.Value, weights));
            }
        }

        var context = new ComponentLoadContext(source, index, entry, kind, version, tensors, device);
        IPersistableComponent component;
        try
        {
            component = registered.Load(context);
        }
        catch (TargetInvocationException e) when (e.InnerException is ModelFormatException inner)
        {
            throw new ModelFormatException(inner.Message, inner);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"{where} ({kind}): {e.InnerException!.Message}", e.InnerException);
        }

        return component as ISequenceTransformer
            ?? throw new ModelFormatException($"{where}: {registered.Type.FullName} is not an {nameof(ISequenceTransformer)}.");
    }

    private static SafeTensorsEntry Match(string where, string name, JsonNode? node,
        Dictionary<string, SafeTensorsEntry> weights)
    {
        string key = ManifestJson.Text(node?["key"], $"{where} tensor '{name}' key");
        string dtype = ManifestJson.Text(node?["dtype"], $"{where} tensor '{name}' dtype");
        long[] shape;
        try
        {
            shape = (node!["shape"] as JsonArray)!.Select(s => s!.GetValue<long>()).ToArray();
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{where}: tensor '{name}' has no valid shape in the manifest.", e);
        }

        if (!weights.TryGetValue(key, out SafeTensorsEntry? stored))
        {
            throw new ModelFormatException($"{where}: the manifest names tensor '{key}' but {ModelArchive.WeightsEntryName} has no such tensor.");
        }

        if (SafeTensorsEntry.DTypeCode(stored.DType) != dtype || !stored.Shape.SequenceEqual(shape))
        {
            throw new ModelFormatException(
                $"{where}: tensor '{key}' is {SafeTensorsEntry.ShapeText(shape)} {dtype} in the manifest but {SafeTensorsEntry.ShapeText(stored.Shape)} {SafeTensorsEntry.DTypeCode(stored.DType)} in {ModelArchive.WeightsEntryName} (shape mismatch).");
        }

        return new SafeTensorsEntry(name, stored.DType, stored.Shape, stored.Data);
    }
}
