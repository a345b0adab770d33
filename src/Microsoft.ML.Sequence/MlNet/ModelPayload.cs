using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.MlNet;

/// <summary>
/// What one of our transformers keeps inside an ML.NET model.zip: its settings as JSON text and its weights as a binary
/// entry (safetensors), each with its length and SHA-256 in a table in the component's main stream. A load checks every
/// entry against the table, so a truncated, edited or corrupt model is rejected with a <see cref="ModelFormatException"/>
/// that names the component and the entry, never loaded silently.
/// </summary>
/// <remarks>Call <see cref="Save"/> after <see cref="MlNetInternals.BeginSave"/> and <see cref="Load"/> after
/// <see cref="MlNetInternals.BeginLoad"/>. Main-stream layout: int32 table format (1), int32 entry count (2), then per
/// entry: name (BinaryWriter string), int64 length, 32 bytes SHA-256.</remarks>
internal sealed class ModelPayload
{
    /// <summary>The entry holding the settings JSON.</summary>
    internal const string SettingsEntryName = "Settings.json";

    /// <summary>The entry holding the weights.</summary>
    internal const string WeightsEntryName = "Weights.safetensors";

    private const int TableFormat = 1;
    private static readonly string[] EntryNames = [SettingsEntryName, WeightsEntryName];

    /// <summary>Creates the payload.</summary>
    /// <param name="settingsJson">The transformer's settings as JSON.</param>
    /// <param name="weights">The transformer's weights (a safetensors file's bytes).</param>
    public ModelPayload(string settingsJson, byte[] weights)
    {
        ArgumentNullException.ThrowIfNull(settingsJson);
        ArgumentNullException.ThrowIfNull(weights);
        SettingsJson = settingsJson;
        Weights = weights;
    }

    /// <summary>The transformer's settings as JSON.</summary>
    public string SettingsJson { get; }

    /// <summary>The transformer's weights.</summary>
    public byte[] Weights { get; }

    /// <summary>Writes the table to the main stream and the two entries beside it.</summary>
    /// <param name="context">The save context, after <see cref="MlNetInternals.BeginSave"/>.</param>
    public void Save(ModelSaveContext context)
    {
        byte[] settings = Encoding.UTF8.GetBytes(SettingsJson);
        BinaryWriter writer = MlNetInternals.Writer(context);
        writer.Write(TableFormat);
        writer.Write(EntryNames.Length);
        foreach ((string name, byte[] bytes) in new[] { (SettingsEntryName, settings), (WeightsEntryName, Weights) })
        {
            writer.Write(name);
            writer.Write((long)bytes.Length);
            writer.Write(SHA256.HashData(bytes));
        }

        MlNetInternals.SaveTextStream(context, SettingsEntryName, text => text.Write(SettingsJson));
        MlNetInternals.SaveBinaryStream(context, WeightsEntryName, binary => binary.Write(Weights));
    }

    /// <summary>Reads and checks the table and both entries.</summary>
    /// <param name="context">The load context, after <see cref="MlNetInternals.BeginLoad"/>.</param>
    /// <param name="component">The component's name, for messages (e.g. <c>RecurrentTextClassifier</c>).</param>
    /// <returns>The payload, every byte as it was saved.</returns>
    /// <exception cref="ModelFormatException">The table or an entry is missing, truncated, newer or corrupt.</exception>
    public static ModelPayload Load(ModelLoadContext context, string component)
    {
        var table = ReadTable(MlNetInternals.Reader(context), component);

        string? settingsJson = null;
        Entry settingsEntry = table[SettingsEntryName];
        bool found = LoadEntry(component, settingsEntry, () => MlNetInternals.TryLoadTextStream(
            context, SettingsEntryName, text => settingsJson = ReadText(text, settingsEntry.Length)));
        byte[] settings = settingsJson is null ? [] : Encoding.UTF8.GetBytes(settingsJson);
        Check(component, settingsEntry, found, settings);

        byte[]? weights = null;
        Entry weightsEntry = table[WeightsEntryName];
        found = LoadEntry(component, weightsEntry, () => MlNetInternals.TryLoadBinaryStream(
            context, WeightsEntryName, binary => weights = ReadBytes(binary.BaseStream, weightsEntry.Length)));
        Check(component, weightsEntry, found, weights ?? []);

        return new ModelPayload(settingsJson!, weights!);
    }

    private static Dictionary<string, Entry> ReadTable(BinaryReader reader, string component)
    {
        try
        {
            int format = reader.ReadInt32();
            if (format != TableFormat)
            {
                throw new ModelFormatException(
                    $"{component}: the model's entry table has format {format}; this version reads format {TableFormat} " +
                    "(a model saved by a newer Microsoft.ML.Sequence, or a corrupt model).");
            }

            int count = reader.ReadInt32();
            if (count != EntryNames.Length)
            {
                throw new ModelFormatException($"{component}: the model's entry table lists {count} entries; expected {EntryNames.Length}.");
            }

            var table = new Dictionary<string, Entry>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long length = reader.ReadInt64();
                byte[] hash = reader.ReadBytes(32);
                if (hash.Length != 32)
                {
                    throw new EndOfStreamException();
                }

                if (!EntryNames.Contains(name, StringComparer.Ordinal) || table.ContainsKey(name))
                {
                    throw new ModelFormatException(
                        $"{component}: the model's entry table names an unexpected entry '{Printable(name)}'; expected {string.Join(" and ", EntryNames)}.");
                }

                if (length < 0 || length > Array.MaxLength)
                {
                    throw new ModelFormatException($"{component}: the model's entry table gives entry '{name}' an impossible length {length}.");
                }

                table.Add(name, new Entry(name, length, hash));
            }

            return table;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException)
        {
            throw new ModelFormatException($"{component}: the model's entry table is truncated or corrupt ({e.Message}).", e);
        }
    }

    private static bool LoadEntry(string component, Entry entry, Func<bool> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DecoderFallbackException)
        {
            throw new ModelFormatException($"{component}: entry '{entry.Name}' of the model cannot be read ({e.Message}).", e);
        }
    }

    private static void Check(string component, Entry entry, bool found, byte[] bytes)
    {
        if (!found)
        {
            throw new ModelFormatException($"{component}: entry '{entry.Name}' is missing from the model.");
        }

        if (bytes.LongLength != entry.Length)
        {
            throw new ModelFormatException(
                $"{component}: entry '{entry.Name}' of the model is {bytes.LongLength} bytes; its table says {entry.Length} (truncated or corrupt).");
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), entry.Sha256))
        {
            throw new ModelFormatException(
                $"{component}: entry '{entry.Name}' of the model fails its SHA-256 check (the file is corrupt or was edited).");
        }
    }

    // Reads at most one character more than the table's byte length allows, so a forged table cannot make us read forever.
    private static string ReadText(TextReader text, long expectedBytes)
    {
        var buffer = new char[(int)Math.Min(expectedBytes + 1, 1 << 20)];
        var result = new StringBuilder();
        int read;
        while ((read = text.Read(buffer, 0, buffer.Length)) > 0)
        {
            result.Append(buffer, 0, read);
            if (result.Length > expectedBytes)
            {
                break;
            }
        }

        return result.ToString();
    }

    private static byte[] ReadBytes(Stream stream, long expectedBytes)
    {
        using var result = new MemoryStream();
        var buffer = new byte[(int)Math.Min(expectedBytes + 1, 1 << 20)];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            result.Write(buffer, 0, read);
            if (result.Length > expectedBytes)
            {
                break;
            }
        }

        return result.ToArray();
    }

    private static string Printable(string name) => name.Length <= 64 && name.All(c => !char.IsControl(c)) ? name : "(unprintable)";

    private sealed record Entry(string Name, long Length, byte[] Sha256);
}
