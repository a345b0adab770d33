using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Loading;

namespace Microsoft.ML.Sequence.Cli.Data;

/// <summary>A TSV/CSV file of (image or audio path, text) rows, as CTC recognition and image captioning read it: paths are
/// relative to the file's folder (or absolute), every file must exist, no text may be empty.</summary>
/// <remarks>The rows are resolved to absolute paths in memory, so the saved model's image loader has no folder baked in
/// and the same model.zip reads a data file from any folder.</remarks>
internal sealed class ImageTextRows
{
    private ImageTextRows(DelimitedFile file, string imageColumn, string textColumn, IReadOnlyList<Row> rows)
    {
        File = file;
        ImageColumn = imageColumn;
        TextColumn = textColumn;
        Rows = rows;
    }

    public DelimitedFile File { get; }

    public string ImageColumn { get; }

    public string TextColumn { get; }

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>Reads and checks the file; <paramref name="textColumn"/> null reads images only (predict).</summary>
    public static ImageTextRows Read(string path, string role, string imageColumn, string imageOption, string? textColumn, string textOption,
        string kind = "image")
    {
        DelimitedFile file = DelimitedFile.Open(path, role);
        file.Require(imageColumn, imageOption);
        if (textColumn is not null)
        {
            file.Require(textColumn, textOption);
        }

        string folder = System.IO.Path.GetDirectoryName(file.Path)!;
        IReadOnlyList<(long Line, string Value)> images = file.Check(textColumn is null ? [imageColumn] : [imageColumn, textColumn], imageColumn);
        IReadOnlyList<(long Line, string Value)>? texts = textColumn is null ? null : file.Check([], textColumn);
        var rows = new List<Row>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            (long line, string relative) = images[i];
            string image = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
            if (!System.IO.File.Exists(image))
            {
                throw new DataFormatException(file.Name, line, imageColumn, $"{kind} file not found: {image}");
            }

            rows.Add(new Row(line, relative, image, texts?[i].Value ?? ""));
        }

        return new ImageTextRows(file, imageColumn, textColumn ?? "", rows);
    }

    /// <summary>The rows as an IDataView: the image column holds absolute paths, the text column (if any) the text.</summary>
    public IDataView Load(MLContext ml) => Load(ml, Rows.Select(r => new TextRow { ImagePath = r.Image, Text = r.Text }));

    /// <summary>One file (an absolute path) as a one-row IDataView whose path column is <paramref name="pathColumn"/>.</summary>
    public static IDataView One(MLContext ml, string pathColumn, string file) =>
        Load(ml, pathColumn, "", [new TextRow { ImagePath = file }]);

    /// <summary>Some of the rows as an IDataView in the same shape as <see cref="Load(MLContext)"/>.</summary>
    public IDataView Load(MLContext ml, IEnumerable<Row> rows) => Load(ml, ImageColumn, TextColumn, rows.Select(r => new TextRow { ImagePath = r.Image, Text = r.Text }));

    private IDataView Load(MLContext ml, IEnumerable<TextRow> rows) => Load(ml, ImageColumn, TextColumn, rows);

    private static IDataView Load(MLContext ml, string pathColumn, string textColumn, IEnumerable<TextRow> rows)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TextRow));
        definition[nameof(TextRow.ImagePath)].ColumnName = pathColumn;
        // Without a text column (predict) the text gets a name the path column cannot have.
        definition[nameof(TextRow.Text)].ColumnName = textColumn.Length > 0 ? textColumn : pathColumn + ".Text";
        return ml.Data.LoadFromEnumerable(rows.ToList(), definition);
    }

    /// <summary>One data row: its line, the path as written, the absolute image path and the text.</summary>
    internal sealed record Row(long Line, string Written, string Image, string Text);

    /// <summary>One (image, text) row for LoadFromEnumerable; the columns are renamed to the file's.</summary>
    internal sealed class TextRow
    {
        public string ImagePath { get; set; } = "";

        public string Text { get; set; } = "";
    }
}
