using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>JSON forms of our settings and vocabularies inside a model.</summary>
internal static class ManifestJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static JsonObject VocabularyToJson(Vocabulary vocabulary) => new()
    {
        ["specialTokens"] = vocabulary.SpecialTokens.ToString(),
        ["values"] = new JsonArray(vocabulary.OrdinaryValues.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
    };

    public static Vocabulary VocabularyFromJson(JsonNode? node, string where)
    {
        try
        {
            var special = Enum.Parse<SpecialTokens>(Text(node?["specialTokens"], $"{where} specialTokens"));
            if (node!["values"] is not JsonArray values)
            {
                throw new ModelFormatException($"{where}: vocabulary has no 'values' array.");
            }

            return new Vocabulary(values.Select(v => v!.GetValue<string>()), special);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ModelFormatException($"{where}: malformed vocabulary: {e.Message}", e);
        }
    }

    public static string Text(JsonNode? node, string what)
    {
        try
        {
            return node?.GetValue<string>() ?? throw new ModelFormatException($"{what} is missing.");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{what} is not a string.", e);
        }
    }

    public static int Integer(JsonNode? node, string what)
    {
        try
        {
            return node?.GetValue<int>() ?? throw new ModelFormatException($"{what} is missing.");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelFormatException($"{what} is not an integer.", e);
        }
    }
}
