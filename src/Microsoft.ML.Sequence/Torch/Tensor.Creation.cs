using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

public sealed partial class Tensor
{
    /// <summary>A tensor with a copy of <paramref name="data"/> laid out row-major in <paramref name="shape"/>.</summary>
    /// <typeparam name="T">Element type: float, double, long, int, byte or bool.</typeparam>
    /// <param name="data">The elements; their count must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">Size of each dimension; empty for a scalar.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        long count = 1;
        foreach (long size in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(shape));
            count *= size;
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", shape.ToArray())}] needs {count} elements but {data.Length} were given.", nameof(data));
        }

        Device target = device ?? Device.Cpu;
        fixed (T* p = data)
        fixed (long* s = shape)
        {
            int status = NativeMethods.mls_tensor_from_data(p, (long)data.Length * sizeof(T), (int)DTypeInfo.Of<T>(), s,
                shape.Length, (int)target.Type, target.Index, out IntPtr raw);
            return Wrap(status, raw, "mls_tensor_from_data");
        }
    }

    /// <summary>A one-dimensional tensor with a copy of <paramref name="data"/>.</summary>
    /// <typeparam name="T">Element type: float, double, long, int, byte or bool.</typeparam>
    /// <param name="data">The elements.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor From<T>(T[] data, Device? device = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return From<T>(data, [data.LongLength], device);
    }

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full([], value, dtype, device);

    /// <summary>A tensor of zeros.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
        Full(shape, 0, dtype, device);

    /// <summary>A tensor of ones.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
        Full(shape, 1, dtype, device);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            int status = NativeMethods.mls_tensor_full(s, shape.Length, value, (int)dtype, (int)target.Type, target.Index,
                out IntPtr raw);
            return Wrap(status, raw, "mls_tensor_full");
        }
    }

    /// <summary>Values from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) in steps of
    /// <paramref name="step"/>.</summary>
    /// <param name="start">First value.</param>
    /// <param name="end">Bound, not included.</param>
    /// <param name="step">Increment. Default: 1.</param>
    /// <param name="dtype">Element type. Default: int64.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new one-dimensional tensor.</returns>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        int status = NativeMethods.mls_tensor_arange(start, end, step, (int)dtype, (int)target.Type, target.Index, out IntPtr raw);
        return Wrap(status, raw, "mls_tensor_arange");
    }

    /// <summary>The <paramref name="n"/> × <paramref name="n"/> identity matrix.</summary>
    /// <param name="n">Number of rows and columns.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Eye(long n, DType dtype = DType.Float32, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        return Wrap(NativeMethods.mls_tensor_eye(n, (int)dtype, (int)target.Type, target.Index, out IntPtr raw), raw,
            "mls_tensor_eye");
    }

    /// <summary>Uniform random values in [0, 1).</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="generator">Source of randomness; null uses libtorch's global generator.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Rand(ReadOnlySpan<long> shape, RandomGenerator? generator = null, DType dtype = DType.Float32,
        Device? device = null) => Random(0, shape, generator, dtype, device);

    /// <summary>Standard normal random values.</summary>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="generator">Source of randomness; null uses libtorch's global generator.</param>
    /// <param name="dtype">Element type. Default: float32.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor Randn(ReadOnlySpan<long> shape, RandomGenerator? generator = null, DType dtype = DType.Float32,
        Device? device = null) => Random(1, shape, generator, dtype, device);

    /// <summary>Uniform random int64 values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Smallest value.</param>
    /// <param name="high">Bound, not included.</param>
    /// <param name="shape">Size of each dimension.</param>
    /// <param name="generator">Source of randomness; null uses libtorch's global generator.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static unsafe Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, RandomGenerator? generator = null,
        Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            int status = NativeMethods.mls_tensor_randint(low, high, s, shape.Length, (int)target.Type, target.Index,
                RandomGenerator.RawOrZero(generator), out IntPtr raw);
            GC.KeepAlive(generator);
            return Wrap(status, raw, "mls_tensor_randint");
        }
    }

    /// <summary>A random permutation of 0 … <paramref name="n"/> − 1 (int64).</summary>
    /// <param name="n">Number of elements.</param>
    /// <param name="generator">Source of randomness; null uses libtorch's global generator.</param>
    /// <param name="device">Target device. Default: CPU.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor RandPerm(long n, RandomGenerator? generator = null, Device? device = null)
    {
        Device target = device ?? Device.Cpu;
        int status = NativeMethods.mls_tensor_randperm(n, (int)target.Type, target.Index, RandomGenerator.RawOrZero(generator),
            out IntPtr raw);
        GC.KeepAlive(generator);
        return Wrap(status, raw, "mls_tensor_randperm");
    }

    /// <summary>Draws 1 with the probability held in each element of this tensor, else 0.</summary>
    /// <param name="generator">Source of randomness; null uses libtorch's global generator.</param>
    /// <returns>A tensor of the same shape and dtype.</returns>
    public Tensor Bernoulli(RandomGenerator? generator = null)
    {
        int status = NativeMethods.mls_tensor_bernoulli(Handle, RandomGenerator.RawOrZero(generator), out IntPtr raw);
        GC.KeepAlive(generator);
        return Wrap(status, raw, "mls_tensor_bernoulli");
    }

    private static unsafe Tensor Random(int distribution, ReadOnlySpan<long> shape, RandomGenerator? generator, DType dtype,
        Device? device)
    {
        Device target = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            int status = NativeMethods.mls_tensor_random(distribution, s, shape.Length, (int)dtype, (int)target.Type,
                target.Index, RandomGenerator.RawOrZero(generator), out IntPtr raw);
            GC.KeepAlive(generator);
            return Wrap(status, raw, "mls_tensor_random");
        }
    }
}
