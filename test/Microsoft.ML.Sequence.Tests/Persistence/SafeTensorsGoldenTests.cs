using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Persistence;

[TestClass]
public sealed class SafeTensorsGoldenTests
{
    // 8-byte little-endian header length (144), the JSON header padded with 3 spaces to a multiple of 8, then the data:
    // "a" = F32 [1.0, -2.5] at bytes 0..8, "b" = I64 [[3, -4]] at bytes 8..24.
    private static byte[] Golden() =>
    [
        0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        .. """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1,2],"data_offsets":[8,24]}}   """u8,
        0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    [TestMethod]
    public void GoldenFileLoadsToKnownValues()
    {
        Dictionary<string, Tensor> tensors = SafeTensorsFile.Read(new MemoryStream(Golden()), out var metadata);
        try
        {
            Assert.AreEqual("pt", metadata["format"]);
            Assert.AreEqual(ScalarType.Float32, tensors["a"].dtype);
            CollectionAssert.AreEqual(new float[] { 1.0f, -2.5f }, TensorValues.ToArray<float>(tensors["a"]));
            CollectionAssert.AreEqual(new long[] { 1, 2 }, tensors["b"].shape);
            CollectionAssert.AreEqual(new long[] { 3, -4 }, TensorValues.ToArray<long>(tensors["b"]));
        }
        finally
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
        }
    }

    [TestMethod]
    public void WriterProducesTheGoldenBytes()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["b"] = tensor(new long[] { 3, -4 }, new long[] { 1, 2 }),
            ["a"] = tensor(new[] { 1.0f, -2.5f }, new long[] { 2 }),
        };
        var stream = new MemoryStream();
        SafeTensorsFile.Write(stream, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        CollectionAssert.AreEqual(Golden(), stream.ToArray());
    }

    [TestMethod]
    public void TruncatedAndInconsistentFilesAreRejected()
    {
        byte[] golden = Golden();
        var truncated = Assert.ThrowsExactly<ModelFormatException>(() => SafeTensorsFile.Read(new MemoryStream(golden[..^4])));
        StringAssert.Contains(truncated.Message, "truncated");
        var shortHeader = Assert.ThrowsExactly<ModelFormatException>(() => SafeTensorsFile.Read(new MemoryStream(golden[..40])));
        StringAssert.Contains(shortHeader.Message, "header claims 144 bytes");
        byte[] wrongShape = (byte[])golden.Clone();
        int at = System.Text.Encoding.ASCII.GetString(wrongShape).IndexOf("[1,2]", StringComparison.Ordinal);
        wrongShape[at + 3] = (byte)'3';
        var shape = Assert.ThrowsExactly<ModelFormatException>(() => SafeTensorsFile.Read(new MemoryStream(wrongShape)));
        StringAssert.Contains(shape.Message, "'b' has shape [1, 3]");
    }
}
