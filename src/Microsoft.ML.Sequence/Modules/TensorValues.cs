using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Copies of a CPU tensor's values into managed arrays.</summary>
internal static class TensorValues
{
    /// <summary>The values of <paramref name="tensor"/> (on the CPU) in row-major order.</summary>
    /// <remarks>TorchSharp's accessor copies from a raw pointer after its last use of the tensor, so a tensor that
    /// nothing else holds (a temporary such as <c>x.cpu().contiguous()</c> outside a dispose scope) can be finalised and
    /// its memory freed by a collection that the copy's own allocation starts, a read of freed memory. The tensor is
    /// kept alive to the end of the copy.</remarks>
    public static T[] ToArray<T>(Tensor tensor)
        where T : unmanaged
    {
        T[] values = tensor.data<T>().ToArray();
        GC.KeepAlive(tensor);
        return values;
    }
}
