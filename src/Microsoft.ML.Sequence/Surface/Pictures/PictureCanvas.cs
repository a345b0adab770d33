using System.Globalization;
using Microsoft.ML.Sequence.Data.Imaging;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Pictures;

/// <summary>The drawing helpers every picture shares: one white surface, a font found on this machine, text, lines and
/// colour scales. Owns the surface; dispose it after <see cref="Save"/>.</summary>
internal sealed class PictureCanvas : IDisposable
{
    private readonly SKSurface _surface;

    public PictureCanvas(int width, int height)
    {
        if (width < 1 || height < 1 || (long)width * height > 64L * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A picture of {width} × {height} pixels is out of range.");
        }

        Width = width;
        Height = height;
        _surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width} × {height} surface.");
        Canvas.Clear(SKColors.White);
    }

    public int Width { get; }

    public int Height { get; }

    public SKCanvas Canvas => _surface.Canvas;

    public static SKPaint TextPaint(float size, SKColor? color = null, bool bold = false) => new()
    {
        Typeface = PictureFont.Typeface,
        TextSize = size,
        IsAntialias = true,
        Color = color ?? SKColors.Black,
        FakeBoldText = bold,
    };

    public static float MeasureText(string text, float size)
    {
        using SKPaint paint = TextPaint(size);
        return paint.MeasureText(text);
    }

    /// <summary>Draws <paramref name="text"/> with its baseline at y, aligned left, centre or right of x.</summary>
    public void Text(string text, float x, float y, float size, SKTextAlign align = SKTextAlign.Left, SKColor? color = null, bool bold = false)
    {
        using SKPaint paint = TextPaint(size, color, bold);
        paint.TextAlign = align;
        Canvas.DrawText(text, x, y, paint);
    }

    /// <summary>Draws text rotated a quarter turn anticlockwise, centred on (x, y) (a vertical axis label).</summary>
    public void VerticalText(string text, float x, float y, float size)
    {
        Canvas.Save();
        Canvas.RotateDegrees(-90, x, y);
        Text(text, x, y, size, SKTextAlign.Center);
        Canvas.Restore();
    }

    public void Line(float x0, float y0, float x1, float y1, SKColor color, float width = 1, bool dashed = false)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = width, IsAntialias = true, Style = SKPaintStyle.Stroke };
        if (dashed)
        {
            paint.PathEffect = SKPathEffect.CreateDash([6, 4], 0);
        }

        Canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    public void Fill(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = false };
        Canvas.DrawRect(rect, paint);
    }

    public void Frame(SKRect rect, SKColor color, float width = 1)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true };
        Canvas.DrawRect(rect, paint);
    }

    public void Dot(float x, float y, float radius, SKColor color)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
        Canvas.DrawCircle(x, y, radius, paint);
    }

    public void Save(string path) => PngFile.Save(_surface, path);

    public void Dispose() => _surface.Dispose();

    /// <summary>White (0) to deep blue (1), for counts and weights that are never negative.</summary>
    public static SKColor Sequential(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        return Mix(new SKColor(247, 251, 255), new SKColor(8, 48, 107), t);
    }

    /// <summary>Blue (−1) through white (0) to red (+1), for activations with a sign.</summary>
    public static SKColor Diverging(double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, -1, 1) : 0;
        return t < 0 ? Mix(SKColors.White, new SKColor(33, 102, 172), -t) : Mix(SKColors.White, new SKColor(178, 24, 43), t);
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/>.</summary>
    public static SKColor TextOn(SKColor background) =>
        (0.299 * background.Red) + (0.587 * background.Green) + (0.114 * background.Blue) > 140 ? SKColors.Black : SKColors.White;

    /// <summary>About five round tick values covering [min, max].</summary>
    public static double[] Ticks(double min, double max, int count = 5)
    {
        if (!(max > min))
        {
            return [min];
        }

        double raw = (max - min) / count;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 2.5, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (double v = Math.Ceiling(min / step) * step; v <= max + (step * 1e-9); v += step)
        {
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        }

        return ticks.ToArray();
    }

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    private static SKColor Mix(SKColor a, SKColor b, double t) => new(
        (byte)Math.Round(a.Red + ((b.Red - a.Red) * t)),
        (byte)Math.Round(a.Green + ((b.Green - a.Green) * t)),
        (byte)Math.Round(a.Blue + ((b.Blue - a.Blue) * t)));

}
