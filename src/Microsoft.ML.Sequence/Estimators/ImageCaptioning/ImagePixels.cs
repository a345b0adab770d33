using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Imaging;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
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

        int plane = sourceWidth * sourceHeight;
        var planes = new byte[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            planes[i] = pixels[i * 4 + r];
            planes[plane + i] = pixels[i * 4 + g];
            planes[2 * plane + i] = pixels[i * 4 + b];
        }

        if (sourceWidth == width && sourceHeight == height)
        {
            return planes;
        }

        // torch's bilinear interpolation, pixel centres aligned (align_corners = false) and no antialiasing, so that an
        // image enlarged by a whole factor resizes back to exactly its own pixels; rounded back to bytes.
        using var scope = NewDisposeScope();
        Tensor source = tensor(planes, [1, 3, sourceHeight, sourceWidth]).to_type(ScalarType.Float32);
        Tensor scaled = nn.functional.interpolate(source, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return TensorValues.ToArray<byte>(scaled.round_().clamp_(0, 255).to_type(ScalarType.Byte));
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
