using SkiaSharp;

namespace Microsoft.ML.Sequence.Data.Imaging;

/// <summary>The one typeface the library's pictures write their labels in, found once per process.</summary>
internal static class PictureFont
{
    // SkiaSharp's Linux assets here come without fontconfig, so a family name may resolve to an empty typeface that
    // draws nothing: load a font file directly, then fall back to a family name and Skia's default.
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        @"C:\Windows\Fonts\segoeui.ttf", @"C:\Windows\Fonts\arial.ttf", "/System/Library/Fonts/Helvetica.ttc",
        "/Library/Fonts/Arial.ttf",
    ];

    private static readonly Lazy<SKTypeface> Font = new(Load);

    /// <summary>The typeface; shared, never to be disposed by a caller.</summary>
    public static SKTypeface Typeface => Font.Value;

    private static SKTypeface Load()
    {
        foreach (string file in FontFiles)
        {
            if (File.Exists(file) && SKTypeface.FromFile(file) is SKTypeface typeface)
            {
                return typeface;
            }
        }

        return SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
    }
}
