using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SkiaSharp;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>The alignment picture on a synthetic line: "hello" rendered with SkiaSharp and frames that spell it.</summary>
[TestClass]
public sealed class CtcAlignmentPictureTests
{
    private const string Alphabet = " ehlo";

    // 40 frames over a 200-pixel line (5 pixels each).
    private const string Path = "---hhh--eee---ll-----ll----ooo-----     ";

    [TestMethod]
    public void DrawsTheImageTheFrameClassesAndTheBlankStrip()
    {
        using var folder = new TempDirectory();
        string file = folder.File("alignment.png");
        using MLImage image = HelloImage(200, 32);
        float[] scores = CtcTestFrames.FromPath(Path, Alphabet, peak: 0.8);
        CtcAlignmentPicture.Write(file, image, scores, Alphabet, caption: "truth: \"hello\"");

        using SKBitmap picture = SKBitmap.Decode(file);
        Assert.IsNotNull(picture, "a PNG was written");
        // The 200-pixel line is scaled (to legible cells of 12+ pixels) and sits right of the row labels.
        Assert.IsGreaterThanOrEqualTo(480, picture.Width);
        Assert.IsGreaterThan(image.Height * 2, picture.Height);
        Assert.IsEmpty(Directory.GetFiles(folder.Path, "*.tmp"), "no temporary file is left");
        Assert.IsGreaterThan(100, CountDark(picture), "text and ink were drawn");

        // Writing again replaces the file in place.
        CtcAlignmentPicture.Write(file, image, CtcTestFrames.FromPath(Path.Replace('h', '-'), Alphabet), Alphabet);
        Assert.HasCount(1, Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void InkPixelsWorkToo()
    {
        using var folder = new TempDirectory();
        var ink = new float[20 * 8];
        for (int x = 5; x < 15; x++)
        {
            ink[4 * 20 + x] = 1;
        }

        CtcAlignmentPicture.Write(folder.File("ink.png"), ink, 20, 8, CtcTestFrames.FromPath("-l-l", "l"), "l");
        using SKBitmap picture = SKBitmap.Decode(folder.File("ink.png"));
        Assert.IsNotNull(picture);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => CtcAlignmentPicture.Write(folder.File("bad.png"), ink, 21, 8, CtcTestFrames.FromPath("-l", "l"), "l"));
        Assert.ThrowsExactly<DirectoryNotFoundException>(
            () => CtcAlignmentPicture.Write(folder.File("no/such/dir.png"), ink, 20, 8, CtcTestFrames.FromPath("-l", "l"), "l"));
        Assert.IsFalse(File.Exists(folder.File("bad.png")));
    }

    /// <summary>"hello" in black on white, as LoadImages would give it (Bgra32).</summary>
    internal static MLImage HelloImage(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        using (var typeface = SKTypeface.FromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        using (var paint = new SKPaint { Typeface = typeface, TextSize = 26, IsAntialias = true, Color = SKColors.Black })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText("hello", 22, 24, paint);
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bitmap.GetPixelSpan());
    }

    private static int CountDark(SKBitmap picture)
    {
        int dark = 0;
        for (int y = 0; y < picture.Height; y++)
        {
            for (int x = 0; x < picture.Width; x++)
            {
                SKColor c = picture.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 200)
                {
                    dark++;
                }
            }
        }

        return dark;
    }
}
