using SkiaSharp;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>Lays tokens out left to right in wrapped lines, each on a box of its own colour with an optional caption
/// under it: the layout of the attention strip and of the hidden-unit activation picture.</summary>
internal static class TokenStrip
{
    private const float FontSize = 18, Padding = 6, Gap = 4, MaxWidth = 1100, Margin = 30;

    /// <summary>Draws the strip (title, tokens, legend) and saves it; <c>legend</c> draws the colour scale into the
    /// rectangle it is given.</summary>
    public static void Save(string title, string subtitle, IReadOnlyList<string> tokens, IReadOnlyList<SKColor> colors,
        IReadOnlyList<string>? captions, Action<PictureCanvas, SKRect> legend, string path)
    {
        float captionHeight = captions is null ? 0 : 16;
        float boxHeight = FontSize + (2 * Padding);
        float lineHeight = boxHeight + captionHeight + 10;
        var boxes = new List<SKRect>();
        float x = Margin, y = 80;
        float widest = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            float textWidth = PictureCanvas.MeasureText(Visible(tokens[i]), FontSize);
            float captionWidth = captions is null ? 0 : PictureCanvas.MeasureText(captions[i], 11);
            float w = Math.Max(textWidth, captionWidth) + (2 * Padding);
            if (x + w > MaxWidth + Margin && x > Margin)
            {
                x = Margin;
                y += lineHeight;
            }

            boxes.Add(new SKRect(x, y, x + w, y + boxHeight));
            x += w + Gap;
            widest = Math.Max(widest, x);
        }

        int width = (int)Math.Max(Math.Max(widest, 520) + Margin, PictureCanvas.MeasureText(subtitle, 13) + (2 * Margin));
        int height = (int)(y + lineHeight + 90);
        using var picture = new PictureCanvas(width, height);
        picture.Text(title, Margin, 32, 20, bold: true);
        picture.Text(subtitle, Margin, 55, 13, SKTextAlign.Left, new SKColor(90, 90, 90));
        for (int i = 0; i < tokens.Count; i++)
        {
            SKRect box = boxes[i];
            picture.Fill(box, colors[i]);
            picture.Frame(box, new SKColor(210, 210, 210), 0.5f);
            picture.Text(Visible(tokens[i]), box.MidX, box.Bottom - Padding - 3, FontSize, SKTextAlign.Center, PictureCanvas.TextOn(colors[i]));
            if (captions is not null)
            {
                picture.Text(captions[i], box.MidX, box.Bottom + 13, 11, SKTextAlign.Center, new SKColor(80, 80, 80));
            }
        }

        legend(picture, new SKRect(Margin, height - 55, Margin + 300, height - 40));
        picture.Save(path);
    }

    /// <summary>A horizontal colour bar from <paramref name="low"/> to <paramref name="high"/> with its end labels.</summary>
    public static void ColorBar(PictureCanvas picture, SKRect rect, Func<double, SKColor> color, double from, double to, string low, string high, string caption)
    {
        const int Steps = 60;
        for (int s = 0; s < Steps; s++)
        {
            float x0 = rect.Left + (rect.Width * s / Steps), x1 = rect.Left + (rect.Width * (s + 1) / Steps) + 0.5f;
            picture.Fill(new SKRect(x0, rect.Top, x1, rect.Bottom), color(from + ((to - from) * (s + 0.5) / Steps)));
        }

        picture.Frame(rect, new SKColor(120, 120, 120), 0.5f);
        picture.Text(low, rect.Left, rect.Bottom + 15, 11, SKTextAlign.Left);
        picture.Text(high, rect.Right, rect.Bottom + 15, 11, SKTextAlign.Right);
        picture.Text(caption, rect.Right + 12, rect.Bottom - 2, 12, SKTextAlign.Left, new SKColor(70, 70, 70));
    }

    /// <summary>Shows white space as a visible mark, so a character-level strip keeps its spaces.</summary>
    private static string Visible(string token) => token switch
    {
        " " => "␣",
        "\t" => "⇥",
        "\n" => "↵",
        "" => "∅",
        _ => token,
    };
}
