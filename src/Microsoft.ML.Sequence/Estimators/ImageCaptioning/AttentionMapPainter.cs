using Microsoft.ML.Sequence.Data.Imaging;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>Draws a caption's attention maps with SkiaSharp: the caption on top, then one panel per word (the image,
/// enlarged, under a red heat overlay whose opacity follows the word's weights, smoothed over the region grid) with the
/// word beneath, six panels to a row.</summary>
internal static class AttentionMapPainter
{
    private const int PanelsPerRow = 6;
    private const int Gap = 6;
    private const int TextHeight = 16;

    public static void Write(string path, byte[] rgb, int width, int height, GeneratedCaption caption, int scale)
    {
        int panelWidth = width * scale, panelHeight = height * scale;
        int panels = Math.Max(caption.Words.Count, 1);
        int columns = Math.Min(panels, PanelsPerRow), rows = (panels + PanelsPerRow - 1) / PanelsPerRow;
        int canvasWidth = Math.Max(columns * (panelWidth + Gap) + Gap, 320);
        int canvasHeight = TextHeight + Gap * 2 + rows * (panelHeight + TextHeight + Gap) + Gap;
        using var image = ToBitmap(rgb, width, height);
        using var surface = new SKBitmap(canvasWidth, canvasHeight, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(surface))
        {
            canvas.Clear(SKColors.White);
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 13, Typeface = PictureFont.Typeface };
            canvas.DrawText(caption.Words.Count == 0 ? "(empty caption)" : caption.Text, Gap, Gap + 12, text);
            using var smooth = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true };
            for (int i = 0; i < caption.Words.Count; i++)
            {
                int x = Gap + (i % PanelsPerRow) * (panelWidth + Gap);
                int y = TextHeight + Gap * 2 + (i / PanelsPerRow) * (panelHeight + TextHeight + Gap);
                var panel = new SKRect(x, y, x + panelWidth, y + panelHeight);
                canvas.DrawBitmap(image, panel, smooth);
                using (var heat = HeatBitmap(caption.AttentionWeights[i], caption.GridWidth, caption.GridHeight))
                {
                    canvas.DrawBitmap(heat, panel, smooth);
                }

                canvas.DrawText($"{caption.Words[i]} ({caption.AttentionWeights[i].Max():0.00})", x, y + panelHeight + 13, text);
            }
        }

        PngFile.Save(surface, path);
    }

    private static SKBitmap ToBitmap(byte[] rgb, int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        int plane = width * height;
        var pixels = new SKColor[plane];
        for (int i = 0; i < plane; i++)
        {
            pixels[i] = new SKColor(rgb[i], rgb[plane + i], rgb[2 * plane + i]);
        }

        bitmap.Pixels = pixels;
        return bitmap;
    }

    /// <summary>A grid-sized bitmap of red with opacity 0.75 · w / max(w) per region (unpremultiplied values).</summary>
    private static SKBitmap HeatBitmap(float[] weights, int gridWidth, int gridHeight)
    {
        var bitmap = new SKBitmap(new SKImageInfo(gridWidth, gridHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        float max = Math.Max(weights.Max(), 1e-12f);
        var pixels = new SKColor[gridWidth * gridHeight];
        for (int l = 0; l < pixels.Length; l++)
        {
            pixels[l] = new SKColor(255, 0, 0, (byte)Math.Clamp(MathF.Round(190 * weights[l] / max), 0, 255));
        }

        bitmap.Pixels = pixels;
        return bitmap;
    }
}
