using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Imaging;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Draws how a CTC recogniser aligned a line: the line image on top; under it, for every frame, its most
/// probable class (a grey dot for the blank, ␣ for a space) on a cell tinted by that class's probability; then a strip of
/// the blank probability (bars and a curve, 0 at the bottom, 1 at the top); then the best-path text. Frame i covers the
/// image columns [i · width / frames, (i + 1) · width / frames), so each cell sits under the part of the image it read.</summary>
/// <remarks>Written as PNG atomically (a temporary file beside the target, then renamed over it).</remarks>
internal static class CtcAlignmentPicture
{
    private const int Margin = 10;
    private const int LabelWidth = 78;
    private const int CharacterRow = 30;
    private const int StripHeight = 64;
    private const int TextRow = 22;

    /// <summary>Writes the picture of <paramref name="image"/> (Bgra32 or Rgba32, as ML.NET's <c>LoadImages</c> gives).</summary>
    /// <exception cref="ArgumentException">The image's pixel format is not 32-bit BGRA or RGBA, or a score is NaN.</exception>
    public static void Write(string path, MLImage image, ReadOnlySpan<float> logProbabilities, string alphabet, string? caption = null)
    {
        ImageChannels.Offsets(image, nameof(image));
        SKColorType type = image.PixelFormat == MLPixelFormat.Bgra32 ? SKColorType.Bgra8888 : SKColorType.Rgba8888;
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, type, SKAlphaType.Unpremul));
        CopyRows(image.Pixels.ToArray(), image.Width * 4, bitmap);
        Write(path, bitmap, logProbabilities, alphabet, caption);
    }

    /// <summary>Writes the picture of a grey line given as ink values (row-major, <paramref name="height"/> rows of
    /// <paramref name="width"/>; 0 is background, drawn white, and 1 full ink, drawn black), as the recogniser reads it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes do not match <paramref name="ink"/>.</exception>
    public static void Write(string path, ReadOnlySpan<float> ink, int width, int height, ReadOnlySpan<float> logProbabilities,
        string alphabet, string? caption = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (ink.Length != (long)width * height)
        {
            throw new ArgumentOutOfRangeException(nameof(ink), ink.Length, $"{width} × {height} pixels need {(long)width * height} ink values.");
        }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[ink.Length];
        for (int i = 0; i < ink.Length; i++)
        {
            pixels[i] = (byte)Math.Round(255 * (1 - Math.Clamp(ink[i], 0f, 1f)));
        }

        CopyRows(pixels, width, bitmap);
        Write(path, bitmap, logProbabilities, alphabet, caption);
    }

    private static void Write(string path, SKBitmap image, ReadOnlySpan<float> logProbabilities, string alphabet, string? caption)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int classes = CtcFrames.ClassCount(alphabet);
        int[] best = CtcBestPathDecoder.FrameClasses(logProbabilities, classes);
        int frames = best.Length;

        // Scale the image so that it is legible and every frame cell is at least ~12 pixels wide, within bounds.
        float scale = Math.Clamp(Math.Max(48f / image.Height, 12f * frames / image.Width), 1f, 8f);
        scale = Math.Min(scale, Math.Max(1f, 6000f / image.Width));
        float imageWidth = image.Width * scale, imageHeight = image.Height * scale;
        float cell = frames == 0 ? imageWidth : imageWidth / frames;
        int width = (int)Math.Ceiling(LabelWidth + imageWidth + Margin);
        int lines = caption is null ? 1 : 2;
        int height = (int)Math.Ceiling(Margin + imageHeight + 6 + CharacterRow + 6 + StripHeight + 8 + lines * TextRow + Margin);

        using SKSurface surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width} × {height} surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        float left = LabelWidth, top = Margin;
        using (var smooth = new SKPaint { FilterQuality = SKFilterQuality.Medium, IsAntialias = true })
        {
            canvas.DrawBitmap(image, new SKRect(left, top, left + imageWidth, top + imageHeight), smooth);
        }

        float rowTop = top + imageHeight + 6, stripTop = rowTop + CharacterRow + 6, stripBottom = stripTop + StripHeight;
        using SKPaint label = Text(12, SKColors.DimGray);
        label.TextAlign = SKTextAlign.Right;
        canvas.DrawText("image", left - 8, top + imageHeight / 2 + 4, label);
        canvas.DrawText("argmax", left - 8, rowTop + CharacterRow / 2f + 4, label);
        canvas.DrawText("P(blank)", left - 8, stripTop + StripHeight / 2f + 4, label);
        canvas.DrawText("1", left - 2, stripTop + 9, label);
        canvas.DrawText("0", left - 2, stripBottom, label);

        using var grid = new SKPaint { Color = new SKColor(0xD0, 0xD0, 0xD0), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var tint = new SKPaint { Style = SKPaintStyle.Fill };
        using var bar = new SKPaint { Color = new SKColor(0x9E, 0xC5, 0xE8), Style = SKPaintStyle.Fill };
        using SKPaint character = Text(Math.Clamp(cell * 1.1f, 8f, 18f), SKColors.Black);
        character.TextAlign = SKTextAlign.Center;
        using var dot = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Fill, IsAntialias = true };
        using var curve = new SKPath();
        for (int t = 0; t < frames; t++)
        {
            float x0 = left + t * cell, x1 = x0 + cell, centre = (x0 + x1) / 2;
            ReadOnlySpan<float> frame = logProbabilities.Slice(t * classes, classes);
            double confidence = Math.Exp(frame[best[t]]);
            tint.Color = best[t] == 0
                ? new SKColor(0xE0, 0xE0, 0xE0, (byte)(120 * confidence))
                : new SKColor(0xFF, 0xA5, 0x30, (byte)(40 + 180 * confidence));
            canvas.DrawRect(new SKRect(x0, rowTop, x1, rowTop + CharacterRow), tint);
            if (best[t] == 0)
            {
                canvas.DrawCircle(centre, rowTop + CharacterRow / 2f, Math.Clamp(cell / 8, 1.5f, 3f), dot);
            }
            else
            {
                char c = alphabet[best[t] - 1];
                canvas.DrawText(c == ' ' ? "␣" : c.ToString(), centre, rowTop + CharacterRow / 2f + character.TextSize / 2.8f, character);
            }

            double blank = Math.Exp(frame[0]);
            float y = stripBottom - (float)(blank * StripHeight);
            canvas.DrawRect(new SKRect(x0 + Math.Min(1, cell / 4), y, x1 - Math.Min(1, cell / 4), stripBottom), bar);
            if (t == 0)
            {
                curve.MoveTo(centre, y);
            }
            else
            {
                curve.LineTo(centre, y);
            }

            canvas.DrawLine(x0, rowTop, x0, stripBottom, grid);
        }

        canvas.DrawLine(left + frames * cell, rowTop, left + frames * cell, stripBottom, grid);
        canvas.DrawRect(new SKRect(left, stripTop, left + imageWidth, stripBottom), grid);
        using (var half = new SKPaint { Color = grid.Color, StrokeWidth = 1, Style = SKPaintStyle.Stroke, PathEffect = SKPathEffect.CreateDash([4, 4], 0) })
        {
            canvas.DrawLine(left, stripTop + StripHeight / 2f, left + imageWidth, stripTop + StripHeight / 2f, half);
        }

        using (var line = new SKPaint { Color = new SKColor(0x1F, 0x4E, 0x9A), StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true })
        {
            canvas.DrawPath(curve, line);
        }

        using SKPaint text = Text(14, SKColors.Black);
        float baseline = stripBottom + 8 + TextRow - 6;
        string decoded = CtcFrames.ToText(CtcBestPathDecoder.Collapse(best), alphabet);
        canvas.DrawText($"best path: \"{decoded}\"   ({frames} frames, {cell / scale:0.##} image pixels each)", left, baseline, text);
        if (caption is not null)
        {
            canvas.DrawText(caption, left, baseline + TextRow, text);
        }

        PngFile.Save(surface, path);
    }

    /// <summary>Copies tightly packed rows into the bitmap, whose rows may be padded.</summary>
    private static void CopyRows(byte[] source, int rowLength, SKBitmap bitmap)
    {
        IntPtr destination = bitmap.GetPixels();
        for (int y = 0; y < bitmap.Height; y++)
        {
            System.Runtime.InteropServices.Marshal.Copy(source, y * rowLength, destination + y * bitmap.RowBytes, rowLength);
        }
    }

    private static SKPaint Text(float size, SKColor color) => new() { Typeface = PictureFont.Typeface, TextSize = size, IsAntialias = true, Color = color };
}
