using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>JSON forms of schemas, column types and vocabularies in a model manifest.</summary>
internal static class ManifestJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static JsonArray SchemaToJson(SequenceSchema schema, bool includeVocabularies = true) =>
        new(schema.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = TypeToJson(c.Type, includeVocabularies) }).ToArray());

    public static SequenceSchema SchemaFromJson(JsonNode? node, string where)
    {
        if (node is not JsonArray array)
        {
            throw new ModelFormatException($"{where}: expected a schema (a JSON array of columns).");
        }

        return new SequenceSchema(array.Select((c, i) => new SchemaColumn(
            Text(c?["name"], $"{where} column {i} name"), TypeFromJson(c?["type"], $"{where} column {i}"))));
    }

    public static JsonObject TypeToJson(SequenceColumnType type, bool includeVocabularies = true) => type switch
    {
        TextColumnType => new JsonObject { ["kind"] = "text" },
        BooleanColumnType => new JsonObject { ["kind"] = "boolean" },
        NumberColumnType n => new JsonObject { ["kind"] = "number", ["number"] = n.ToString() },
        KeyColumnType k => new JsonObject
        {
            ["kind"] = "key",
            ["count"] = k.Count,
            ["vocabulary"] = k.Vocabulary is null || !includeVocabularies ? null : VocabularyToJson(k.Vocabulary),
        },
        VectorColumnType v => new JsonObject { ["kind"] = "vector", ["item"] = TypeToJson(v.ItemType, includeVocabularies), ["size"] = v.Size },
        _ => throw new NotSupportedException($"Column type {type} cannot be saved."),
    };

    public static SequenceColumnType TypeFromJson(JsonNode? node, string where)
    {
        try
        {
            string kind = Text(node?["kind"], $"{where} type kind");
            return kind switch
            {
                "text" => TextColumnType.Instance,
                "boolean" => BooleanColumnType.Instance,
                "number" => NumberColumnType.FromName(Text(node!["number"], $"{where} number type")),
                "key" => node!["vocabulary"] is JsonNode vocabulary
                    ? new KeyColumnType(VocabularyFromJson(vocabulary, where))
                    : new KeyColumnType(node["count"]!.GetValue<long>()),
                "vector" => new VectorColumnType(TypeFromJson(node!["item"], where), node["size"]!.GetValue<int>()),
                _ => throw new ModelFormatException($"{where}: unknown column type kind '{kind}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ModelFormatException($"{where}: malformed column type: {e.Message}", e);
        }
    }

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
