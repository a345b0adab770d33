using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

/// <summary>A device that holds tensors: the CPU or one numbered CUDA GPU.</summary>
/// <remarks>Unlike ML.NET's TorchSharp trainers, a GPU index is honoured: <c>Device.Cuda(1)</c> is the second GPU,
/// and an index that does not exist is rejected before libtorch is called.</remarks>
public readonly record struct Device
{
    private Device(DeviceType type, int index)
    {
        Type = type;
        Index = index;
    }

    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, 0);

    /// <summary>Kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>Zero-based GPU index; always 0 for the CPU.</summary>
    public int Index { get; }

    /// <summary>True for a CUDA GPU.</summary>
    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>The CUDA GPU with zero-based index <paramref name="index"/>.</summary>
    /// <param name="index">GPU index, from 0 to <see cref="TorchRuntime.CudaDeviceCount"/> − 1.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or not below the number of GPUs.</exception>
    public static Device Cuda(int index = 0)
    {
        int count = TorchRuntime.CudaDeviceCount;
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"CUDA device {index} does not exist: this process sees {count} CUDA device(s)" +
                (count == 0 ? " (libtorch has no CUDA support or no GPU is visible)." : $", valid indices 0..{count - 1}."));
        }

        return new Device(DeviceType.Cuda, index);
    }

    internal static Device FromNative(int type, int index) =>
        type == 0 ? Cpu : new Device(DeviceType.Cuda, index);

    /// <summary>"cpu" or "cuda:N", as libtorch writes it.</summary>
    /// <returns>The device name.</returns>
    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";
}
