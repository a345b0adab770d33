namespace Microsoft.ML.Sequence.Torch;

/// <summary>Kind of device a tensor lives on. The values are libtorch's device-type codes.</summary>
public enum DeviceType
{
    /// <summary>Main memory and the CPU.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU through CUDA (needs the shim built against a CUDA libtorch).</summary>
    Cuda = 1,
}
