using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

// In-place updates, used by optimisers and initialisers (inside a NoGradScope for parameters).
public sealed partial class Tensor
{
    private void InPlace(BinaryOp op, Tensor other, double alpha)
    {
        ArgumentNullException.ThrowIfNull(other);
        NativeError.Check(NativeMethods.mls_tensor_binary_inplace((int)op, Handle, other.Handle, alpha), "mls_tensor_binary_");
    }

    private void InPlace(BinaryOp op, double value) =>
        NativeError.Check(NativeMethods.mls_tensor_binary_scalar_inplace((int)op, Handle, value), "mls_tensor_binary_scalar_");

    /// <summary>this += alpha · other, in place.</summary>
    /// <param name="other">Addend (broadcast to this shape).</param>
    /// <param name="alpha">Multiplier of <paramref name="other"/>. Default: 1.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(Tensor other, double alpha = 1)
    {
        InPlace(BinaryOp.Add, other, alpha);
        return this;
    }

    /// <summary>this += value, in place.</summary><param name="value">Addend.</param><returns>This tensor.</returns>
    public Tensor AddInPlace(double value)
    {
        InPlace(BinaryOp.Add, value);
        return this;
    }

    /// <summary>this −= alpha · other, in place.</summary>
    /// <param name="other">Subtrahend.</param>
    /// <param name="alpha">Multiplier of <paramref name="other"/>. Default: 1.</param>
    /// <returns>This tensor.</returns>
    public Tensor SubInPlace(Tensor other, double alpha = 1)
    {
        InPlace(BinaryOp.Sub, other, alpha);
        return this;
    }

    /// <summary>this ·= other elementwise, in place.</summary><param name="other">Factor.</param><returns>This tensor.</returns>
    public Tensor MulInPlace(Tensor other)
    {
        InPlace(BinaryOp.Mul, other, 1);
        return this;
    }

    /// <summary>this ·= value, in place.</summary><param name="value">Factor.</param><returns>This tensor.</returns>
    public Tensor MulInPlace(double value)
    {
        InPlace(BinaryOp.Mul, value);
        return this;
    }

    /// <summary>this /= other elementwise, in place.</summary><param name="other">Divisor.</param><returns>This tensor.</returns>
    public Tensor DivInPlace(Tensor other)
    {
        InPlace(BinaryOp.Div, other, 1);
        return this;
    }

    /// <summary>this /= value, in place.</summary><param name="value">Divisor.</param><returns>This tensor.</returns>
    public Tensor DivInPlace(double value)
    {
        InPlace(BinaryOp.Div, value);
        return this;
    }

    /// <summary>Limits every element to [<paramref name="min"/>, <paramref name="max"/>], in place.</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>This tensor.</returns>
    public Tensor ClampInPlace(double min, double max)
    {
        if (min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"min must not exceed max ({max}).");
        }

        InPlace(BinaryOp.Maximum, min);
        InPlace(BinaryOp.Minimum, max);
        return this;
    }

    /// <summary>Copies the elements of <paramref name="source"/> (broadcast, converted) into this tensor.</summary>
    /// <param name="source">Values to copy.</param>
    /// <returns>This tensor.</returns>
    public Tensor CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        NativeError.Check(NativeMethods.mls_tensor_copy_inplace(Handle, source.Handle), "mls_tensor_copy_");
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary><param name="value">Fill value.</param><returns>This tensor.</returns>
    public Tensor FillInPlace(double value)
    {
        NativeError.Check(NativeMethods.mls_tensor_fill_inplace(Handle, value), "mls_tensor_fill_");
        return this;
    }

    /// <summary>this += value · t1 · t2, in place.</summary>
    /// <param name="t1">First factor.</param>
    /// <param name="t2">Second factor.</param>
    /// <param name="value">Scale. Default: 1.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddcmulInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        NativeError.Check(NativeMethods.mls_tensor_addcmul_inplace(Handle, t1.Handle, t2.Handle, value), "mls_tensor_addcmul_");
        return this;
    }

    /// <summary>this += value · t1 / t2, in place.</summary>
    /// <param name="t1">Numerator.</param>
    /// <param name="t2">Denominator.</param>
    /// <param name="value">Scale. Default: 1.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddcdivInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        NativeError.Check(NativeMethods.mls_tensor_addcdiv_inplace(Handle, t1.Handle, t2.Handle, value), "mls_tensor_addcdiv_");
        return this;
    }
}
