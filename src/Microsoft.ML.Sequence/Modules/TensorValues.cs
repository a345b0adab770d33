using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Copies of a CPU tensor's values into managed arrays.</summary>
internal static class TensorValues
{
    /// <summary>A copy of any tensor's values (detached, on the CPU, row-major).</summary>
    /// <remarks>TorchSharp's accessor copies from a raw pointer after its last use of the tensor, so a tensor that
    /// nothing else holds (a temporary such as <c>x.cpu()</c> outside a dispose scope) can be finalised and its memory
    /// freed by a collection that the copy's own allocation starts, a read of freed memory. The CPU copy is kept alive
    /// to the end of the copy.</remarks>
    public static T[] ToArray<T>(Tensor tensor)
        where T : unmanaged
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor values = tensor.detach().cpu().contiguous();
        T[] copy = values.data<T>().ToArray();
        GC.KeepAlive(values);
        return copy;
    }
}
