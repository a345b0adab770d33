using System.Globalization;

namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Parses field text into column values (invariant culture); returns an error text instead of throwing.</summary>
internal static class ValueParser
{
    public static object? Parse(SequenceColumnType type, string text, out string? error)
    {
        error = null;
        switch (type)
        {
            case TextColumnType:
                return text;
            case BooleanColumnType:
                if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
                if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
                error = text.Length == 0 ? "empty value" : $"'{Clip(text)}' is not a boolean (expected 0, 1, true or false)";
                return null;
            case NumberColumnType number:
                return ParseNumber(number, text, out error);
            case KeyColumnType key:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long k))
                {
                    error = text.Length == 0 ? "empty value" : $"'{Clip(text)}' is not a key (an integer)";
                    return null;
                }

                if (k < 0 || (key.Count > 0 && k > key.Count))
                {
                    error = $"key {k} is outside 0..{key.Count}";
                    return null;
                }

                return k;
            default:
                throw new NotSupportedException($"Column type {type} cannot be parsed from one field.");
        }
    }

    private static object? ParseNumber(NumberColumnType type, string text, out string? error)
    {
        error = null;
        if (text.Length == 0)
        {
            error = "empty value";
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        bool ok;
        object value;
        if (type.ClrType == typeof(int)) { ok = int.TryParse(text, NumberStyles.Integer, inv, out int v); value = v; }
        else if (type.ClrType == typeof(long)) { ok = long.TryParse(text, NumberStyles.Integer, inv, out long v); value = v; }
        else if (type.ClrType == typeof(float)) { ok = float.TryParse(text, NumberStyles.Float, inv, out float v); value = v; }
        else { ok = double.TryParse(text, NumberStyles.Float, inv, out double v); value = v; }
        if (!ok)
        {
            error = $"'{Clip(text)}' is not a number of type {type}";
            return null;
        }

        return value;
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
