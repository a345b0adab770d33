namespace Microsoft.ML.Sequence.Torch;

/// <summary>Maps CLR element types to <see cref="DType"/> and back.</summary>
internal static class DTypeInfo
{
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new NotSupportedException(
            $"Element type {typeof(T).Name} has no tensor dtype; use float, double, long, int, byte or bool.");
    }

    public static int SizeOf(DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    public static string Name(DType dtype) => dtype switch
    {
        DType.UInt8 => "uint8",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Bool => "bool",
        _ => dtype.ToString(),
    };
}
