using System.Security.Cryptography;
using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>(image, caption) rows read from a data view: each distinct image once (rows with identical pixels share
/// it, which is how the references of an image are found), and per row its image's index and caption tokens.</summary>
internal sealed class CaptionRows
{
    private CaptionRows(List<byte[]> images, int[] imageOfRow, string[][] tokens)
    {
        Images = images;
        ImageOfRow = imageOfRow;
        Tokens = tokens;
    }

    /// <summary>Distinct images as RGB bytes [3, H, W] at the model's size.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>For each row, the index of its image in <see cref="Images"/>.</summary>
    public int[] ImageOfRow { get; }

    /// <summary>For each row, its caption's tokens.</summary>
    public string[][] Tokens { get; }

    public int Count => ImageOfRow.Length;

    /// <summary>Reads every row; <paramref name="part"/> ("training", "validation") names the data in messages.</summary>
    /// <exception cref="ArgumentException">A caption is missing or empty, or an image is unreadable; the message names the
    /// column and row.</exception>
    public static CaptionRows Read(IDataView view, ImageCaptionerOptions options, string part, string component, CancellationToken token)
    {
        DataViewSchema.Column image = view.Schema[options.ImageColumnName];
        DataViewSchema.Column caption = view.Schema[options.LabelColumnName];
        using DataViewRowCursor cursor = view.GetRowCursor([image, caption]);
        ValueGetter<MLImage> getImage = cursor.GetGetter<MLImage>(image);
        Func<string> getCaption = RowReaders.Text(cursor, caption);
        var images = new List<byte[]>();
        var byHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var imageOfRow = new List<int>();
        var tokens = new List<string[]>();
        MLImage value = null!;
        while (cursor.MoveNext())
        {
            if ((cursor.Position & 0xFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            string where = $"{component}: {part} row {cursor.Position}";
            string text = getCaption();
            string[] words = CaptioningEvaluator.Tokenize(text);
            if (words.Length == 0)
            {
                throw new ArgumentException($"{where}, column '{caption.Name}': the caption is empty.");
            }

            getImage(ref value);
            if (value is null)
            {
                throw new ArgumentException($"{where}, column '{image.Name}': the image is missing (LoadImages could not read the file?).");
            }

            byte[] pixels = ImagePixels.Read(value, options.ImageWidth, options.ImageHeight, $"{where}, column '{image.Name}'");
            string hash = Convert.ToBase64String(SHA256.HashData(pixels));
            if (!byHash.TryGetValue(hash, out int index))
            {
                index = images.Count;
                byHash.Add(hash, index);
                images.Add(pixels);
            }

            imageOfRow.Add(index);
            tokens.Add(words);
        }

        return new CaptionRows(images, imageOfRow.ToArray(), tokens.ToArray());
    }

    /// <summary>The rows whose image is in <paramref name="imageIndices"/>, images renumbered in that order.</summary>
    public CaptionRows SelectImages(IReadOnlyList<int> imageIndices)
    {
        var renumber = new Dictionary<int, int>();
        foreach (int i in imageIndices)
        {
            renumber.Add(i, renumber.Count);
        }

        var rows = Enumerable.Range(0, Count).Where(r => renumber.ContainsKey(ImageOfRow[r])).ToArray();
        return new CaptionRows(imageIndices.Select(i => (byte[])Images[i]).ToList(), rows.Select(r => renumber[ImageOfRow[r]]).ToArray(),
            rows.Select(r => Tokens[r]).ToArray());
    }

    /// <summary>For each image, the tokens of all its captions (its references).</summary>
    public IReadOnlyList<string>[][] References()
    {
        var references = Enumerable.Range(0, Images.Count).Select(_ => new List<IReadOnlyList<string>>()).ToArray();
        for (int r = 0; r < Count; r++)
        {
            references[ImageOfRow[r]].Add(Tokens[r]);
        }

        return references.Select(list => list.ToArray()).ToArray();
    }
}
