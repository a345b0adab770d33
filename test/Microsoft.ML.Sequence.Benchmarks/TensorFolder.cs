using System.Text.Json;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>Writes named tensors as raw little-endian files plus manifest.json, the input both sides of a benchmark
/// load so that they start from identical weights and batches.</summary>
internal static class TensorFolder
{
    public static void Write(string directory, IEnumerable<KeyValuePair<string, Tensor>> tensors, object config)
    {
        Directory.CreateDirectory(directory);
        var entries = new List<object>();
        foreach ((string name, Tensor tensor) in tensors)
        {
            string file = name + ".bin";
            byte[] bytes = tensor.dtype switch
            {
                ScalarType.Float32 => ToBytes(TensorValues.ToArray<float>(tensor)),
                ScalarType.Int64 => ToBytes(TensorValues.ToArray<long>(tensor)),
                _ => throw new NotSupportedException($"{name}: dtype {tensor.dtype}"),
            };
            File.WriteAllBytes(Path.Combine(directory, file), bytes);
            entries.Add(new { name, file, shape = tensor.shape, dtype = tensor.dtype == ScalarType.Float32 ? "float32" : "int64" });
        }

        File.WriteAllText(Path.Combine(directory, "manifest.json"), JsonSerializer.Serialize(new { config, tensors = entries }));
    }

    private static byte[] ToBytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
