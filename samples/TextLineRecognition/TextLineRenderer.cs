using SkiaSharp;

namespace TextLineRecognition;

/// <summary>Renders one line of text to a grayscale PNG with light augmentation: font size and height jitter, baseline
/// shift, slant, extra letter spacing, ink and paper gray levels, Gaussian blur and pixel noise, all drawn from the
/// caller's random source.</summary>
internal sealed class TextLineRenderer : IDisposable
{
    private readonly SKTypeface[] _typefaces;

    public TextLineRenderer(IEnumerable<string> fontFiles)
    {
        _typefaces = fontFiles.Select(f => SKTypeface.FromFile(f) ?? throw new FileNotFoundException($"Cannot load font {f}", f)).ToArray();
    }

    public int FontCount => _typefaces.Length;

    public void Render(string text, Random random, string path)
    {
        SKTypeface typeface = _typefaces[random.Next(_typefaces.Length)];
        int height = random.Next(28, 39);
        using var paint = new SKPaint
        {
            Typeface = typeface,
            TextSize = (float)(height * (0.58 + (0.12 * random.NextDouble()))),
            IsAntialias = true,
            TextSkewX = (float)((random.NextDouble() * 0.4) - 0.25),
        };
        float spacing = random.NextDouble() < 0.5 ? 0 : (float)(random.NextDouble() * paint.TextSize * 0.12);
        float[] advances = text.Select(c => paint.MeasureText(c.ToString()) + spacing).ToArray();
        float left = random.Next(3, 12);
        int width = (int)Math.Ceiling(left + advances.Sum() + random.Next(3, 12));
        byte paper = (byte)random.Next(190, 256), ink = (byte)random.Next(0, 80);
        using var bitmap = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(paper, paper, paper));
            paint.Color = new SKColor(ink, ink, ink);
            if (random.NextDouble() < 0.5)
            {
                float sigma = (float)(0.3 + (random.NextDouble() * 0.6));
                paint.ImageFilter = SKImageFilter.CreateBlur(sigma, sigma);
            }

            float baseline = (height * 0.5f) + (paint.TextSize * 0.35f) + (float)((random.NextDouble() * 3) - 1.5);
            float x = left;
            for (int i = 0; i < text.Length; i++)
            {
                canvas.DrawText(text[i].ToString(), x, baseline, paint);
                x += advances[i];
            }
        }

        double noise = random.NextDouble() * 12;
        if (noise > 1)
        {
            // Gray8 rows may be padded: walk them by the bitmap's row stride.
            unsafe
            {
                byte* start = (byte*)bitmap.GetPixels().ToPointer();
                for (int y = 0; y < height; y++)
                {
                    byte* row = start + ((long)y * bitmap.RowBytes);
                    for (int x = 0; x < width; x++)
                    {
                        double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                        row[x] = (byte)Math.Clamp(row[x] + (g * noise), 0, 255);
                    }
                }
            }
        }

        using SKData png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    public void Dispose()
    {
        foreach (SKTypeface typeface in _typefaces)
        {
            typeface.Dispose();
        }
    }
}
