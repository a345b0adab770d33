using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

// Reductions, softmax, sorting and matrix products.
public sealed partial class Tensor
{
    private enum ReduceOp
    {
        Sum = 0, Mean = 1, Max = 2, Min = 3, Prod = 4, LogSumExp = 5, Norm2 = 6, Std = 7, Var = 8,
    }

    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims)
        {
            int status = NativeMethods.mls_tensor_reduce((int)op, Handle, d, dims.Length, keepDim ? 1 : 0, out IntPtr raw);
            return Wrap(status, raw, "mls_tensor_reduce");
        }
    }

    /// <summary>Sum over <paramref name="dims"/> (all dimensions when empty).</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Sum(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);

    /// <summary>Mean over <paramref name="dims"/> (all dimensions when empty).</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Mean(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);

    /// <summary>Maximum over <paramref name="dims"/> (all dimensions when empty); gradient is split among ties.</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Max(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Max, dims, keepDim);

    /// <summary>Minimum over <paramref name="dims"/> (all dimensions when empty).</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Min(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Min, dims, keepDim);

    /// <summary>Product over <paramref name="dims"/> (all dimensions when empty).</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Prod(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Prod, dims, keepDim);

    /// <summary>log Σ exp(x) over <paramref name="dims"/>, computed stably.</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor LogSumExp(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, dims, keepDim);

    /// <summary>Euclidean (L2) norm over <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Norm(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Norm2, dims, keepDim);

    /// <summary>Sample standard deviation (n − 1 denominator) over <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Std(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim);

    /// <summary>Sample variance (n − 1 denominator) over <paramref name="dims"/>.</summary>
    /// <param name="dims">Dimensions to reduce; empty for all.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1. Default: false.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Var(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim);

    /// <summary>Index of the largest element along <paramref name="dim"/> (of the flattened tensor when null).</summary>
    /// <param name="dim">Dimension, or null for the flattened tensor.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1. Default: false.</param>
    /// <returns>A new int64 tensor.</returns>
    public Tensor ArgMax(long? dim = null, bool keepDim = false) =>
        Wrap(NativeMethods.mls_tensor_arg_reduce(0, Handle, dim ?? 0, dim.HasValue ? 1 : 0, keepDim ? 1 : 0, out IntPtr raw), raw,
            "mls_tensor_arg_reduce");

    /// <summary>Index of the smallest element along <paramref name="dim"/> (of the flattened tensor when null).</summary>
    /// <param name="dim">Dimension, or null for the flattened tensor.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1. Default: false.</param>
    /// <returns>A new int64 tensor.</returns>
    public Tensor ArgMin(long? dim = null, bool keepDim = false) =>
        Wrap(NativeMethods.mls_tensor_arg_reduce(1, Handle, dim ?? 0, dim.HasValue ? 1 : 0, keepDim ? 1 : 0, out IntPtr raw), raw,
            "mls_tensor_arg_reduce");

    /// <summary>The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/>.</summary>
    /// <param name="k">How many.</param>
    /// <param name="dim">Dimension. Default: last.</param>
    /// <param name="largest">Largest (true) or smallest. Default: true.</param>
    /// <param name="sorted">Return them in sorted order. Default: true.</param>
    /// <returns>Values and their int64 indices.</returns>
    public ValuesAndIndices TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        int status = NativeMethods.mls_tensor_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out IntPtr values,
            out IntPtr indices);
        return new ValuesAndIndices(Wrap(status, values, "mls_tensor_topk"), Wrap(status, indices, "mls_tensor_topk"));
    }

    /// <summary>Sorts along <paramref name="dim"/>.</summary>
    /// <param name="dim">Dimension. Default: last.</param>
    /// <param name="descending">Largest first. Default: false.</param>
    /// <param name="stable">Keep the order of equal elements. Default: false.</param>
    /// <returns>Sorted values and the int64 indices they came from.</returns>
    public ValuesAndIndices Sort(long dim = -1, bool descending = false, bool stable = false)
    {
        int status = NativeMethods.mls_tensor_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, out IntPtr values,
            out IntPtr indices);
        return new ValuesAndIndices(Wrap(status, values, "mls_tensor_sort"), Wrap(status, indices, "mls_tensor_sort"));
    }

    /// <summary>Softmax along <paramref name="dim"/>: probabilities that sum to 1.</summary>
    /// <param name="dim">Dimension.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Softmax(long dim) =>
        Wrap(NativeMethods.mls_tensor_softmax(Handle, dim, out IntPtr raw), raw, "mls_tensor_softmax");

    /// <summary>Log of the softmax along <paramref name="dim"/>, computed stably.</summary>
    /// <param name="dim">Dimension.</param>
    /// <returns>A new tensor.</returns>
    public Tensor LogSoftmax(long dim) =>
        Wrap(NativeMethods.mls_tensor_log_softmax(Handle, dim, out IntPtr raw), raw, "mls_tensor_log_softmax");

    /// <summary>Matrix product with broadcasting over batch dimensions (vectors, matrices, batches).</summary>
    /// <param name="other">Right operand.</param>
    /// <returns>A new tensor.</returns>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.mls_tensor_matmul(Handle, other.Handle, out IntPtr raw), raw, "mls_tensor_matmul");
    }

    /// <summary>Reduced QR decomposition: this = Q · R with orthonormal columns in Q (used for orthogonal initialisation).</summary>
    /// <returns>Q and R.</returns>
    public QrDecomposition Qr()
    {
        int status = NativeMethods.mls_linalg_qr(Handle, out IntPtr q, out IntPtr r);
        return new QrDecomposition(Wrap(status, q, "mls_linalg_qr"), Wrap(status, r, "mls_linalg_qr"));
    }
}
