using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Imaging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Data.Imaging;

[TestClass]
public sealed class ImageChannelsTests
{
    /// <summary>One pixel holding bytes 10, 20, 30, 255: red is byte 2 in Bgra32 and byte 0 in Rgba32.</summary>
    [TestMethod]
    public void OffsetsPointAtRedGreenAndBlueInBothFormats()
    {
        byte[] pixel = [10, 20, 30, 255];
        using MLImage bgra = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Bgra32, pixel);
        using MLImage rgba = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Rgba32, pixel);

        (int red, int green, int blue) = ImageChannels.Offsets(bgra, "bgra");
        Assert.AreEqual((30, 20, 10), (pixel[red], pixel[green], pixel[blue]));
        (red, green, blue) = ImageChannels.Offsets(rgba, "rgba");
        Assert.AreEqual((10, 20, 30), (pixel[red], pixel[green], pixel[blue]));
    }

    [TestMethod]
    public void NullImageIsRejected() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => ImageChannels.Offsets(null!, "column 'Image', row 3"));
}
