using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Sequence.Tests.Persistence;

/// <summary>Reads a model zip into memory, lets a test forge entries, and writes it back.</summary>
internal static class ArchiveEditor
{
    public static Dictionary<string, byte[]> Read(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using Stream s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    public static string Write(string path, Dictionary<string, byte[]> entries)
    {
        File.Delete(path);
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using Stream s = zip.CreateEntry(name).Open();
            s.Write(bytes);
        }

        return path;
    }

    public static string ForgeManifest(string source, string destination, Action<JsonObject> edit)
    {
        Dictionary<string, byte[]> entries = Read(source);
        JsonObject manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        edit(manifest);
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return Write(destination, entries);
    }
}
