using System.Runtime.InteropServices;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>One tensor's bytes, dtype and shape, outside libtorch (as read from or about to be written to a file).</summary>
internal sealed class SafeTensorsEntry
{
    public SafeTensorsEntry(string name, DType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public DType DType { get; }

    public long[] Shape { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public static SafeTensorsEntry FromTensor(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long[] shape = tensor.Shape.ToArray();
        byte[] bytes = tensor.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes<float>(tensor.ToArray<float>()).ToArray(),
            DType.Float64 => MemoryMarshal.AsBytes<double>(tensor.ToArray<double>()).ToArray(),
            DType.Int64 => MemoryMarshal.AsBytes<long>(tensor.ToArray<long>()).ToArray(),
            DType.Int32 => MemoryMarshal.AsBytes<int>(tensor.ToArray<int>()).ToArray(),
            DType.UInt8 => tensor.ToArray<byte>(),
            DType.Bool => MemoryMarshal.AsBytes<bool>(tensor.ToArray<bool>()).ToArray(),
            _ => throw new NotSupportedException($"Tensor '{name}' has dtype {tensor.DType}, which safetensors files here do not store."),
        };
        return new SafeTensorsEntry(name, tensor.DType, shape, bytes);
    }

    public Tensor ToTensor(Device? device = null)
    {
        ReadOnlySpan<byte> bytes = Data.Span;
        return DType switch
        {
            DType.Float32 => Tensor.From(MemoryMarshal.Cast<byte, float>(bytes), Shape, device),
            DType.Float64 => Tensor.From(MemoryMarshal.Cast<byte, double>(bytes), Shape, device),
            DType.Int64 => Tensor.From(MemoryMarshal.Cast<byte, long>(bytes), Shape, device),
            DType.Int32 => Tensor.From(MemoryMarshal.Cast<byte, int>(bytes), Shape, device),
            DType.UInt8 => Tensor.From(bytes, Shape, device),
            DType.Bool => Tensor.From(MemoryMarshal.Cast<byte, bool>(bytes), Shape, device),
            _ => throw new NotSupportedException($"dtype {DType}"),
        };
    }

    public static string DTypeCode(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {dtype}"),
    };

    public static bool TryParseDType(string code, out DType dtype)
    {
        (bool ok, dtype) = code switch
        {
            "F32" => (true, DType.Float32),
            "F64" => (true, DType.Float64),
            "I64" => (true, DType.Int64),
            "I32" => (true, DType.Int32),
            "U8" => (true, DType.UInt8),
            "BOOL" => (true, DType.Bool),
            _ => (false, default(DType)),
        };
        return ok;
    }

    public static int ElementSize(DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Int32 or DType.Float32 => 4,
        _ => 8,
    };

    public static string ShapeText(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
