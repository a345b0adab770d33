using SkiaSharp;

namespace Microsoft.ML.Sequence.Data.Imaging;

/// <summary>Writes pictures as PNG atomically: encoded into a temporary file beside the target and renamed over it, so a
/// reader never sees half a picture and a failure leaves the previous file (if any) untouched. Every picture the library
/// writes (training curves, confusion matrices, CTC alignments, attention maps) goes through here.</summary>
internal static class PngFile
{
    public static void Save(SKSurface surface, string path)
    {
        ArgumentNullException.ThrowIfNull(surface);
        using SKImage image = surface.Snapshot();
        Save(image, path);
    }

    public static void Save(SKBitmap bitmap, string path)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using SKImage image = SKImage.FromBitmap(bitmap);
        Save(image, path);
    }

    private static void Save(SKImage image, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write the picture {full}: the folder {directory} does not exist.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (SKData data = image.Encode(SKEncodedImageFormat.Png, 100))
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                data.SaveTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
