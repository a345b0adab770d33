using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Cli.Data;

/// <summary>(image, caption) pair rows grouped per image, as BLEU reads them: one row per distinct image (in the order the
/// images first appear) with all its captions in a References column (vector of Text).</summary>
internal static class CaptionReferences
{
    /// <summary>The column of reference captions.</summary>
    public const string Column = "References";

    /// <summary>One row per image of <paramref name="rows"/>: the absolute image path and its captions.</summary>
    public static IDataView Load(MLContext ml, string imageColumn, IEnumerable<ImageTextRows.Row> rows)
    {
        List<ReferenceRow> grouped = rows.GroupBy(r => r.Image, StringComparer.Ordinal)
            .Select(g => new ReferenceRow { ImagePath = g.Key, References = g.Select(r => r.Text).ToArray() }).ToList();
        SchemaDefinition definition = SchemaDefinition.Create(typeof(ReferenceRow));
        definition[nameof(ReferenceRow.ImagePath)].ColumnName = imageColumn;
        return ml.Data.LoadFromEnumerable(grouped, definition);
    }

    /// <summary>One image and all its captions.</summary>
    private sealed class ReferenceRow
    {
        public string ImagePath { get; set; } = "";

        public string[] References { get; set; } = [];
    }
}
