using System.Runtime.InteropServices;
using Microsoft.ML.Sequence.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>One tensor's bytes, dtype and shape, outside libtorch (as read from or about to be written to a file).</summary>
internal sealed class SafeTensorsEntry
{
    public SafeTensorsEntry(string name, ScalarType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public ScalarType DType { get; }

    public long[] Shape { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public static SafeTensorsEntry FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long[] shape = tensor.shape;
        byte[] bytes = tensor.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes<float>(TensorValues.ToArray<float>(tensor)).ToArray(),
            ScalarType.Float64 => MemoryMarshal.AsBytes<double>(TensorValues.ToArray<double>(tensor)).ToArray(),
            ScalarType.Int64 => MemoryMarshal.AsBytes<long>(TensorValues.ToArray<long>(tensor)).ToArray(),
            ScalarType.Int32 => MemoryMarshal.AsBytes<int>(TensorValues.ToArray<int>(tensor)).ToArray(),
            ScalarType.Byte => TensorValues.ToArray<byte>(tensor),
            ScalarType.Bool => MemoryMarshal.AsBytes<bool>(TensorValues.ToArray<bool>(tensor)).ToArray(),
            _ => throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.dtype}, which safetensors files here do not store."),
        };
        return new SafeTensorsEntry(name, tensor.dtype, shape, bytes);
    }

    public Tensor ToTensor(Device? device = null)
    {
        ReadOnlySpan<byte> bytes = Data.Span;
        return DType switch
        {
            ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), Shape, device: device),
            ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), Shape, device: device),
            ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), Shape, device: device),
            ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), Shape, device: device),
            ScalarType.Byte => tensor(bytes.ToArray(), Shape, device: device),
            ScalarType.Bool => tensor(MemoryMarshal.Cast<byte, bool>(bytes).ToArray(), Shape, device: device),
            _ => throw new NotSupportedException($"dtype {DType}"),
        };
    }

    public static string DTypeCode(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {dtype}"),
    };

    public static bool TryParseDType(string code, out ScalarType dtype)
    {
        (bool ok, dtype) = code switch
        {
            "F32" => (true, ScalarType.Float32),
            "F64" => (true, ScalarType.Float64),
            "I64" => (true, ScalarType.Int64),
            "I32" => (true, ScalarType.Int32),
            "U8" => (true, ScalarType.Byte),
            "BOOL" => (true, ScalarType.Bool),
            _ => (false, default(ScalarType)),
        };
        return ok;
    }

    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Bool => 1,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        _ => 8,
    };

    public static string ShapeText(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
