using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Imaging;

/// <summary>Where red, green and blue lie in the 4 bytes of each pixel of an ML.NET image: the one check of the pixel
/// formats the library reads (Bgra32, as <c>LoadImages</c> gives, and Rgba32).</summary>
internal static class ImageChannels
{
    /// <summary>Byte offsets of red, green and blue within a pixel; alpha is byte 3 in both formats.</summary>
    /// <exception cref="ArgumentException">The image is not 32-bit Bgra32 or Rgba32, has no pixels, or holds fewer
    /// bytes than width × height × 4; the message starts with <paramref name="where"/>.</exception>
    public static (int Red, int Green, int Blue) Offsets(MLImage image, string where)
    {
        ArgumentNullException.ThrowIfNull(image);
        (int, int, int)? offsets = (image.BitsPerPixel, image.PixelFormat) switch
        {
            (32, MLPixelFormat.Bgra32) => (2, 1, 0),
            (32, MLPixelFormat.Rgba32) => (0, 1, 2),
            _ => null,
        };
        if (offsets is null)
        {
            throw new ArgumentException($"{where}: pixel format {image.PixelFormat} ({image.BitsPerPixel} bits per pixel) is not supported; expected Bgra32 or Rgba32.");
        }

        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new ArgumentException($"{where}: the image is empty ({image.Width} × {image.Height} pixels).");
        }

        if (image.Pixels.Length < (long)image.Width * image.Height * 4)
        {
            throw new ArgumentException($"{where}: the image holds {image.Pixels.Length} bytes, fewer than {image.Width} × {image.Height} × 4.");
        }

        return offsets.Value;
    }
}
