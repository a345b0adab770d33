using System.Globalization;
using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Reads label values of the supported column types as text (the class names) and orders classes.</summary>
internal static class LabelReader
{
    public const string SupportedTypes = "Boolean, Text, Int32, Int64 or a key";

    public static bool IsSupported(SequenceColumnType type) =>
        type is BooleanColumnType or TextColumnType or KeyColumnType ||
        (type is NumberColumnType number && !number.IsFloatingPoint);

    /// <summary>A reader of column <paramref name="index"/> as text: "false"/"true", invariant numbers, the text itself,
    /// or a key's value (its number when the key type has no vocabulary; null for key 0, a missing label).</summary>
    public static Func<DataCursor, string?> Create(SequenceColumnType type, int index) => type switch
    {
        BooleanColumnType => c => c.GetValue<bool>(index) ? "true" : "false",
        TextColumnType => c => c.GetValue<string>(index),
        NumberColumnType n when n.ClrType == typeof(int) => c => c.GetValue<int>(index).ToString(CultureInfo.InvariantCulture),
        NumberColumnType n when n.ClrType == typeof(long) => c => c.GetValue<long>(index).ToString(CultureInfo.InvariantCulture),
        KeyColumnType key => c =>
        {
            long k = c.GetValue<long>(index);
            return k == 0 ? null : key.Vocabulary?.GetValue(k) ?? k.ToString(CultureInfo.InvariantCulture);
        },
        _ => throw new ArgumentException($"Label type {type} is not supported; expected {SupportedTypes}."),
    };

    /// <summary>The classes seen, in key order: false before true, numbers ascending, text ordinal, keys in key order.</summary>
    public static string[] OrderClasses(SequenceColumnType type, IEnumerable<string> seen)
    {
        string[] distinct = seen.Distinct(StringComparer.Ordinal).ToArray();
        return type switch
        {
            BooleanColumnType => distinct.OrderBy(v => v == "true").ToArray(),
            NumberColumnType => distinct.OrderBy(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            KeyColumnType { Vocabulary: { } vocabulary } => distinct.OrderBy(v => vocabulary.GetKey(v)).ToArray(),
            KeyColumnType => distinct.OrderBy(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            _ => distinct.Order(StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>Index of the positive class of a binary model: <paramref name="requested"/>, else "1" or "true".</summary>
    public static int PositiveIndex(IReadOnlyList<string> classes, string? requested, string optionName)
    {
        if (requested is not null)
        {
            int index = IndexOf(classes, requested);
            return index >= 0 ? index
                : throw new ArgumentException($"{optionName} \"{requested}\" is not a class; the classes are: {string.Join(", ", classes)}.", optionName);
        }

        int one = IndexOf(classes, "1"), yes = IndexOf(classes, "true");
        if (one >= 0 || yes >= 0)
        {
            return one >= 0 ? one : yes;
        }

        throw new ArgumentException(
            $"Binary classes {string.Join(" and ", classes.Select(c => $"\"{c}\""))} include neither \"1\" nor \"true\"; set {optionName} to name the positive class.",
            optionName);
    }

    private static int IndexOf(IReadOnlyList<string> classes, string value)
    {
        for (int i = 0; i < classes.Count; i++)
        {
            if (string.Equals(classes[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
