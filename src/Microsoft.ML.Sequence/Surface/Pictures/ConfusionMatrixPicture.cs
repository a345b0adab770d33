using System.Globalization;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Draws a confusion matrix as a heat map PNG: one row per true class, one column per predicted class, each cell
/// showing its count and shaded by the share of its row (the row's recall on the diagonal).</summary>
/// <example><code>
/// var metrics = ml.MulticlassClassification.Evaluate(scored);
/// ConfusionMatrixPicture.Save(metrics.ConfusionMatrix, classifier.Classes, "confusion-matrix.png");
/// </code></example>
public static class ConfusionMatrixPicture
{
    /// <summary>Writes ML.NET's <paramref name="matrix"/> (from <c>Evaluate</c>'s metrics) to <paramref name="path"/>
    /// (PNG), atomically.</summary>
    /// <param name="matrix">ML.NET's confusion matrix; its rows are the true classes.</param>
    /// <param name="classNames">Names of the classes in the matrix's order (for a multiclass model its key values; for
    /// ML.NET's binary matrix, whose first row is the positive class, for example <c>["True", "False"]</c>).</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <exception cref="ArgumentException">The number of names differs from the number of classes.</exception>
    public static void Save(Microsoft.ML.Data.ConfusionMatrix matrix, IReadOnlyList<string> classNames, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Save(matrix.Counts, classNames, path);
    }

    /// <summary>Writes a confusion matrix given as counts to <paramref name="path"/> (PNG), atomically.</summary>
    /// <param name="counts">counts[t][p]: how many items of true class t were predicted as class p; square, ≥ 0.</param>
    /// <param name="classNames">Names of the classes, in the order of <paramref name="counts"/>.</param>
    /// <param name="path">The PNG file to write; its folder must exist.</param>
    /// <exception cref="ArgumentException">The matrix is empty or not square, a count is negative or not finite, or the
    /// number of names differs from the number of classes.</exception>
    public static void Save(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string> classNames, string path)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentException.ThrowIfNullOrEmpty(path);
        int n = counts.Count;
        if (n == 0 || counts.Any(row => row is null || row.Count != n))
        {
            throw new ArgumentException($"The confusion matrix must be square and non-empty; it has {n} rows of lengths {string.Join(", ", counts.Select(r => r?.Count ?? 0))}.", nameof(counts));
        }

        if (classNames.Count != n)
        {
            throw new ArgumentException($"{classNames.Count} class names for a {n} × {n} confusion matrix.", nameof(classNames));
        }

        if (counts.SelectMany(r => r).Any(c => !(c >= 0) || !double.IsFinite(c)))
        {
            throw new ArgumentException("A confusion-matrix count is negative or not finite.", nameof(counts));
        }

        float cell = Math.Clamp(640f / n, 30f, 100f);
        float fontSize = Math.Clamp(cell * 0.28f, 9f, 16f);
        float labelWidth = Math.Min(220, classNames.Max(name => PictureCanvas.MeasureText(name, 13)) + 12);
        float left = 60 + labelWidth, top = 110 + labelWidth;
        double total = counts.SelectMany(r => r).Sum();
        double correct = Enumerable.Range(0, n).Sum(i => counts[i][i]);
        string subtitle = string.Create(CultureInfo.InvariantCulture,
            $"{total:N0} items, {100 * correct / Math.Max(total, 1):0.0}% on the diagonal; shade = share of the true class's row");
        int width = (int)Math.Max(left + (n * cell) + 40, PictureCanvas.MeasureText(subtitle, 12) + 40), height = (int)(top + (n * cell) + 60);
        using var picture = new PictureCanvas(width, height);
        picture.Text("Confusion matrix", picture.Width / 2f, 30, 20, SKTextAlign.Center, bold: true);
        picture.Text(subtitle, picture.Width / 2f, 52, 12, SKTextAlign.Center, new SKColor(90, 90, 90));
        picture.Text("predicted class", left + (n * cell / 2), 85, 14, SKTextAlign.Center);
        picture.VerticalText("true class", 25, top + (n * cell / 2), 14);

        for (int t = 0; t < n; t++)
        {
            double rowTotal = counts[t].Sum();
            picture.Text(Shorten(classNames[t], labelWidth - 8), left - 8, top + (t * cell) + (cell / 2) + 5, 13, SKTextAlign.Right);
            for (int p = 0; p < n; p++)
            {
                var rect = new SKRect(left + (p * cell), top + (t * cell), left + ((p + 1) * cell), top + ((t + 1) * cell));
                SKColor shade = PictureCanvas.Sequential(rowTotal > 0 ? counts[t][p] / rowTotal : 0);
                picture.Fill(rect, shade);
                picture.Frame(rect, new SKColor(200, 200, 200), 0.5f);
                if (counts[t][p] > 0 || n <= 12)
                {
                    picture.Text(Count(counts[t][p]), rect.MidX, rect.MidY + (fontSize / 3), fontSize, SKTextAlign.Center, PictureCanvas.TextOn(shade));
                }
            }
        }

        for (int p = 0; p < n; p++)
        {
            // Column names run upwards, so long names fit above narrow columns.
            picture.Canvas.Save();
            float x = left + (p * cell) + (cell / 2) + 5, y = top - 8;
            picture.Canvas.RotateDegrees(-90, x, y);
            picture.Text(Shorten(classNames[p], labelWidth - 8), x, y, 13);
            picture.Canvas.Restore();
        }

        picture.Frame(new SKRect(left, top, left + (n * cell), top + (n * cell)), new SKColor(60, 60, 60));
        picture.Save(path);
    }

    private static string Count(double value) =>
        value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Shorten(string text, float width)
    {
        if (PictureCanvas.MeasureText(text, 13) <= width)
        {
            return text;
        }

        string cut = text;
        while (cut.Length > 1 && PictureCanvas.MeasureText(cut + "…", 13) > width)
        {
            cut = cut[..^1];
        }

        return cut + "…";
    }
}
