using SkiaSharp;

namespace Microsoft.ML.Sequence.Data.Synthetic;

/// <summary>Draws a scene with SkiaSharp: a two-tone grey gradient background (slightly tinted), the objects
/// (antialiased), then Gaussian pixel noise over everything, so that no two backgrounds are alike.</summary>
internal static class SceneRenderer
{
    private static readonly Dictionary<string, SKColor> Colours = new(StringComparer.Ordinal)
    {
        ["red"] = new SKColor(215, 35, 35),
        ["green"] = new SKColor(35, 165, 55),
        ["blue"] = new SKColor(45, 80, 220),
        ["yellow"] = new SKColor(235, 215, 35),
        ["purple"] = new SKColor(145, 55, 190),
        ["orange"] = new SKColor(245, 135, 25),
    };

    public static IReadOnlyCollection<string> ColourNames => Colours.Keys;

    public static byte[] RenderPng(int size, IReadOnlyList<SceneObject> objects, Random random)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawBackground(canvas, size, random);
            foreach (SceneObject o in objects)
            {
                DrawObject(canvas, o, Jitter(Colours[o.Colour], random));
            }
        }

        AddNoise(bitmap, random, sigma: 9);
        using SKImage image = SKImage.FromBitmap(bitmap);
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawBackground(SKCanvas canvas, int size, Random random)
    {
        SKColor Grey()
        {
            int level = random.Next(60, 200);
            return new SKColor(Clamp(level + random.Next(-12, 13)), Clamp(level + random.Next(-12, 13)), Clamp(level + random.Next(-12, 13)));
        }

        float angle = (float)(random.NextDouble() * Math.PI * 2);
        var from = new SKPoint(size / 2f - MathF.Cos(angle) * size / 2, size / 2f - MathF.Sin(angle) * size / 2);
        var to = new SKPoint(size / 2f + MathF.Cos(angle) * size / 2, size / 2f + MathF.Sin(angle) * size / 2);
        using var shader = SKShader.CreateLinearGradient(from, to, [Grey(), Grey()], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, size, size, paint);
    }

    private static void DrawObject(SKCanvas canvas, SceneObject o, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true, Style = SKPaintStyle.Fill };
        float r = o.Radius;
        switch (o.Shape)
        {
            case "circle":
                canvas.DrawCircle(o.X, o.Y, r, paint);
                break;
            case "square":
                canvas.DrawRect(o.X - r * 0.85f, o.Y - r * 0.85f, r * 1.7f, r * 1.7f, paint);
                break;
            case "triangle":
                canvas.DrawPath(Polygon(o.X, o.Y + r * 0.15f, r * 1.1f, 3, 0, 0), paint);
                break;
            case "star":
                canvas.DrawPath(Polygon(o.X, o.Y, r * 1.1f, 5, r * 0.45f, 0), paint);
                break;
            case "ring":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1.5f, r * 0.38f);
                canvas.DrawCircle(o.X, o.Y, r - paint.StrokeWidth / 2, paint);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(o), o.Shape, "Unknown shape.");
        }
    }

    /// <summary>A regular polygon pointing up; with an inner radius, a star with that many points.</summary>
    private static SKPath Polygon(float x, float y, float radius, int points, float inner, float rotation)
    {
        var path = new SKPath();
        int corners = inner > 0 ? points * 2 : points;
        for (int i = 0; i < corners; i++)
        {
            float r = inner > 0 && i % 2 == 1 ? inner : radius;
            double a = -Math.PI / 2 + rotation + i * 2 * Math.PI / corners;
            var p = new SKPoint(x + r * (float)Math.Cos(a), y + r * (float)Math.Sin(a));
            if (i == 0)
            {
                path.MoveTo(p);
            }
            else
            {
                path.LineTo(p);
            }
        }

        path.Close();
        return path;
    }

    private static SKColor Jitter(SKColor c, Random random) =>
        new(Clamp(c.Red + random.Next(-15, 16)), Clamp(c.Green + random.Next(-15, 16)), Clamp(c.Blue + random.Next(-15, 16)));

    private static void AddNoise(SKBitmap bitmap, Random random, double sigma)
    {
        SKColor[] pixels = bitmap.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            SKColor p = pixels[i];
            pixels[i] = new SKColor(Clamp(p.Red + Gaussian(random, sigma)), Clamp(p.Green + Gaussian(random, sigma)), Clamp(p.Blue + Gaussian(random, sigma)));
        }

        bitmap.Pixels = pixels;
    }

    private static int Gaussian(Random random, double sigma) =>
        (int)Math.Round(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
