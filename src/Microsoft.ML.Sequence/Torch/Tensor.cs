using System.Runtime.InteropServices;
using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>
/// An n-dimensional array held by libtorch, on the CPU or a GPU, that can record the operations applied to it for
/// automatic differentiation.
/// </summary>
/// <remarks>
/// <para>A tensor holds native memory: dispose it, or create it inside a <see cref="TensorScope"/>, which disposes
/// everything created in it. Every operation returns a new tensor (a new handle, possibly sharing storage for views);
/// methods ending in <c>InPlace</c> change the tensor itself.</para>
/// <para>Errors found in C# (disposed tensor, element type mismatch, bad argument) throw .NET exceptions before
/// libtorch is called; errors found by libtorch throw <see cref="TorchException"/> carrying libtorch's message.</para>
/// <para><c>==</c> keeps reference equality; elementwise comparisons are <see cref="Eq(Tensor)"/>,
/// <see cref="Lt(Tensor)"/> and friends.</para>
/// </remarks>
public sealed partial class Tensor : IScopedResource
{
    private readonly TensorHandle _handle;
    private long[]? _shape;

    static Tensor() => TorchRuntime.EnsureInitialized();

    /// <summary>Takes ownership of a native tensor returned by the shim and registers it with the current scope.</summary>
    internal Tensor(IntPtr raw)
    {
        _handle = new TensorHandle(raw);
        try
        {
            TensorScope.Current?.Register(this);
        }
        catch
        {
            // The current scope has ended (work that outlived it): free the native tensor now, not at finalization.
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The native handle, after checking the tensor is alive and syncing the thread's grad mode.</summary>
    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            NoGradScope.SyncNativeMode();
            return _handle;
        }
    }

    /// <summary>True once the native tensor has been freed.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Size of each dimension; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shape ??= QueryShape();

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>Total number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long size in Shape)
            {
                count *= size;
            }

            return count;
        }
    }

    /// <summary>Element type.</summary>
    public DType DType
    {
        get
        {
            NativeError.Check(NativeMethods.mls_tensor_dtype(Handle, out int dtype), "mls_tensor_dtype");
            return (DType)dtype;
        }
    }

    /// <summary>Device holding the elements.</summary>
    public Device Device
    {
        get
        {
            NativeError.Check(NativeMethods.mls_tensor_device(Handle, out int type, out int index), "mls_tensor_device");
            return Device.FromNative(type, index);
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    /// <param name="dim">Dimension index.</param>
    /// <returns>The size.</returns>
    public long Size(int dim)
    {
        IReadOnlyList<long> shape = Shape;
        int index = dim < 0 ? dim + shape.Count : dim;
        if (index < 0 || index >= shape.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Tensor has {shape.Count} dimensions.");
        }

        return shape[index];
    }

    /// <summary>Frees the native tensor now. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>A short description: shape, dtype and device.</summary>
    /// <returns>For example <c>Tensor[2, 3] float32 cpu</c>.</returns>
    public override string ToString() =>
        IsDisposed ? "Tensor (disposed)" : $"Tensor[{string.Join(", ", Shape)}] {DTypeInfo.Name(DType)} {Device}";

    private unsafe long[] QueryShape()
    {
        NativeError.Check(NativeMethods.mls_tensor_ndim(Handle, out int ndim), "mls_tensor_ndim");
        var shape = new long[ndim];
        fixed (long* p = shape)
        {
            NativeError.Check(NativeMethods.mls_tensor_shape(Handle, p, ndim), "mls_tensor_shape");
        }

        return shape;
    }

    /// <summary>Checks a native result and wraps the new tensor.</summary>
    internal static Tensor Wrap(int status, IntPtr raw, string export)
    {
        NativeError.Check(status, export);
        if (raw == IntPtr.Zero)
        {
            throw new TorchException("libtorch returned an undefined tensor", export);
        }

        return new Tensor(raw);
    }

    /// <summary>Checks a native result whose tensor may legitimately be undefined (null).</summary>
    internal static Tensor? WrapOptional(int status, IntPtr raw, string export)
    {
        NativeError.Check(status, export);
        return raw == IntPtr.Zero ? null : new Tensor(raw);
    }

    /// <summary>Copies the elements into a new array, row-major.</summary>
    /// <typeparam name="T">CLR type matching <see cref="DType"/>.</typeparam>
    /// <returns>The elements.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match the dtype.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[checked((int)ElementCount)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements, row-major, into <paramref name="destination"/>, whose length must equal
    /// <see cref="ElementCount"/>.</summary>
    /// <typeparam name="T">CLR type matching <see cref="DType"/>.</typeparam>
    /// <param name="destination">Buffer of exactly <see cref="ElementCount"/> elements.</param>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        RequireElementType<T>();
        if (destination.Length != ElementCount)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} elements but the tensor has {ElementCount}.", nameof(destination));
        }

        fixed (T* p = destination)
        {
            NativeError.Check(NativeMethods.mls_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)),
                "mls_tensor_copy_to");
        }
    }

    /// <summary>The single element of a one-element tensor.</summary>
    /// <typeparam name="T">CLR type matching <see cref="DType"/>.</typeparam>
    /// <returns>The value.</returns>
    public T Item<T>() where T : unmanaged
    {
        if (ElementCount != 1)
        {
            throw new InvalidOperationException($"Item needs a one-element tensor; this one has shape [{string.Join(", ", Shape)}].");
        }

        T value = default;
        CopyTo(MemoryMarshal.CreateSpan(ref value, 1));
        return value;
    }

    /// <summary>The single element converted to <see cref="double"/>, whatever the dtype.</summary>
    /// <returns>The value.</returns>
    public double ToScalar()
    {
        return DType switch
        {
            DType.Float32 => Item<float>(),
            DType.Float64 => Item<double>(),
            DType.Int64 => Item<long>(),
            DType.Int32 => Item<int>(),
            DType.UInt8 => Item<byte>(),
            DType.Bool => Item<bool>() ? 1 : 0,
            _ => throw new NotSupportedException($"dtype {DType}"),
        };
    }

    private void RequireElementType<T>() where T : unmanaged
    {
        DType wanted = DTypeInfo.Of<T>();
        DType actual = DType;
        if (wanted != actual)
        {
            throw new InvalidOperationException(
                $"Tensor has dtype {DTypeInfo.Name(actual)} but {typeof(T).Name} ({DTypeInfo.Name(wanted)}) was requested.");
        }
    }
}
