using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Imaging;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>Turns ML.NET images (<see cref="MLImage"/>, BGRA or RGBA bytes) into the encoder's input: RGB bytes in
/// channel-major order at the model's size (bilinear resizing when the image differs), and batches of them into
/// normalised float tensors.</summary>
internal static class ImagePixels
{
    // Pixel values x / 255 are centred and scaled to roughly unit spread: (x / 255 − 0.5) / 0.25.
    private const float Mean = 0.5f;
    private const float Spread = 0.25f;

    /// <summary>The image as RGB bytes [3, height, width] (channel-major).</summary>
    /// <exception cref="ArgumentException">See <see cref="ImageChannels.Offsets"/>; the message names
    /// <paramref name="where"/> (column and row).</exception>
    public static byte[] Read(MLImage image, int width, int height, string where)
    {
        (int r, int g, int b) = ImageChannels.Offsets(image, where);
        ReadOnlySpan<byte> pixels = image.Pixels;
        int sourceWidth = image.Width, sourceHeight = image.Height;

        var result = new byte[3 * width * height];
        int plane = width * height;
        if (sourceWidth == width && sourceHeight == height)
        {
            for (int i = 0; i < plane; i++)
            {
                result[i] = pixels[i * 4 + r];
                result[plane + i] = pixels[i * 4 + g];
                result[2 * plane + i] = pixels[i * 4 + b];
            }

            return result;
        }

        // Bilinear resampling with pixel centres aligned (align_corners = false, as torch's interpolate).
        float sx = (float)sourceWidth / width, sy = (float)sourceHeight / height;
        int[] channels = [r, g, b];
        for (int y = 0; y < height; y++)
        {
            float fy = Math.Max(0, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.Min((int)fy, sourceHeight - 1), y1 = Math.Min(y0 + 1, sourceHeight - 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++)
            {
                float fx = Math.Max(0, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.Min((int)fx, sourceWidth - 1), x1 = Math.Min(x0 + 1, sourceWidth - 1);
                float wx = fx - x0;
                for (int c = 0; c < 3; c++)
                {
                    int o = channels[c];
                    float top = pixels[(y0 * sourceWidth + x0) * 4 + o] * (1 - wx) + pixels[(y0 * sourceWidth + x1) * 4 + o] * wx;
                    float bottom = pixels[(y1 * sourceWidth + x0) * 4 + o] * (1 - wx) + pixels[(y1 * sourceWidth + x1) * 4 + o] * wx;
                    result[c * plane + y * width + x] = (byte)Math.Clamp(MathF.Round(top * (1 - wy) + bottom * wy), 0, 255);
                }
            }
        }

        return result;
    }

    /// <summary>A batch [B, 3, height, width] of normalised float32 values on <paramref name="device"/>, created in the
    /// caller's dispose scope.</summary>
    public static Tensor ToTensor(IReadOnlyList<byte[]> images, int width, int height, Device device)
    {
        int size = 3 * width * height;
        var bytes = new byte[images.Count * size];
        for (int i = 0; i < images.Count; i++)
        {
            images[i].CopyTo(bytes, i * size);
        }

        using var scope = NewDisposeScope();
        Tensor batch = tensor(bytes, [images.Count, 3, height, width]).to(device).to_type(ScalarType.Float32);
        return batch.div_(255f).sub_(Mean).div_(Spread).MoveToOuterDisposeScope();
    }
}
