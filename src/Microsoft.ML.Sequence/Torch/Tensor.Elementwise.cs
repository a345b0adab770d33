using Microsoft.ML.Sequence.Torch.Interop;

namespace Microsoft.ML.Sequence.Torch;

// Elementwise math: unary functions, binary ops with broadcasting, comparisons, in-place updates.
public sealed partial class Tensor
{
    private enum UnaryOp
    {
        Neg = 0, Abs = 1, Exp = 2, Log = 3, Log1p = 4, Sqrt = 5, Rsqrt = 6, Sin = 7, Cos = 8, Tanh = 9, Sigmoid = 10,
        Relu = 11, Gelu = 12, Silu = 13, Sign = 14, Floor = 15, Ceil = 16, Round = 17, Reciprocal = 18, Square = 19,
        LogicalNot = 20, Erf = 21, IsNaN = 22, Softplus = 23, IsFinite = 24,
    }

    private enum BinaryOp
    {
        Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Maximum = 5, Minimum = 6, Eq = 7, Ne = 8, Lt = 9, Le = 10, Gt = 11,
        Ge = 12, LogicalAnd = 13, LogicalOr = 14, Remainder = 15,
    }

    private Tensor Unary(UnaryOp op) =>
        Wrap(NativeMethods.mls_tensor_unary((int)op, Handle, out IntPtr raw), raw, "mls_tensor_unary");

    private Tensor Binary(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.mls_tensor_binary((int)op, Handle, other.Handle, out IntPtr raw), raw, "mls_tensor_binary");
    }

    private Tensor Binary(BinaryOp op, double other) =>
        Wrap(NativeMethods.mls_tensor_binary_scalar((int)op, Handle, other, out IntPtr raw), raw, "mls_tensor_binary_scalar");

    /// <summary>−x.</summary><returns>A new tensor.</returns>
    public Tensor Neg() => Unary(UnaryOp.Neg);
    /// <summary>|x|.</summary><returns>A new tensor.</returns>
    public Tensor Abs() => Unary(UnaryOp.Abs);
    /// <summary>eˣ.</summary><returns>A new tensor.</returns>
    public Tensor Exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural logarithm.</summary><returns>A new tensor.</returns>
    public Tensor Log() => Unary(UnaryOp.Log);
    /// <summary>ln(1 + x), accurate for small x.</summary><returns>A new tensor.</returns>
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    /// <summary>Square root.</summary><returns>A new tensor.</returns>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1 / √x.</summary><returns>A new tensor.</returns>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>Sine.</summary><returns>A new tensor.</returns>
    public Tensor Sin() => Unary(UnaryOp.Sin);
    /// <summary>Cosine.</summary><returns>A new tensor.</returns>
    public Tensor Cos() => Unary(UnaryOp.Cos);
    /// <summary>Hyperbolic tangent.</summary><returns>A new tensor.</returns>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    /// <summary>Logistic sigmoid 1 / (1 + e⁻ˣ).</summary><returns>A new tensor.</returns>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>max(x, 0).</summary><returns>A new tensor.</returns>
    public Tensor Relu() => Unary(UnaryOp.Relu);
    /// <summary>Gaussian error linear unit (exact erf form).</summary><returns>A new tensor.</returns>
    public Tensor Gelu() => Unary(UnaryOp.Gelu);
    /// <summary>x · sigmoid(x).</summary><returns>A new tensor.</returns>
    public Tensor Silu() => Unary(UnaryOp.Silu);
    /// <summary>−1, 0 or 1 by sign.</summary><returns>A new tensor.</returns>
    public Tensor Sign() => Unary(UnaryOp.Sign);
    /// <summary>Round down.</summary><returns>A new tensor.</returns>
    public Tensor Floor() => Unary(UnaryOp.Floor);
    /// <summary>Round up.</summary><returns>A new tensor.</returns>
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    /// <summary>Round half to even.</summary><returns>A new tensor.</returns>
    public Tensor Round() => Unary(UnaryOp.Round);
    /// <summary>1 / x.</summary><returns>A new tensor.</returns>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>x².</summary><returns>A new tensor.</returns>
    public Tensor Square() => Unary(UnaryOp.Square);
    /// <summary>Logical not (bool result).</summary><returns>A new tensor.</returns>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    /// <summary>Gauss error function.</summary><returns>A new tensor.</returns>
    public Tensor Erf() => Unary(UnaryOp.Erf);
    /// <summary>True where the element is NaN.</summary><returns>A new bool tensor.</returns>
    public Tensor IsNaN() => Unary(UnaryOp.IsNaN);
    /// <summary>True where the element is finite.</summary><returns>A new bool tensor.</returns>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    /// <summary>ln(1 + eˣ).</summary><returns>A new tensor.</returns>
    public Tensor Softplus() => Unary(UnaryOp.Softplus);

    /// <summary>this + other, broadcasting.</summary><param name="other">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    /// <summary>this + value.</summary><param name="value">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Add(double value) => Binary(BinaryOp.Add, value);
    /// <summary>this − other, broadcasting.</summary><param name="other">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    /// <summary>this − value.</summary><param name="value">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Sub(double value) => Binary(BinaryOp.Sub, value);
    /// <summary>this · other elementwise, broadcasting.</summary><param name="other">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    /// <summary>this · value.</summary><param name="value">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Mul(double value) => Binary(BinaryOp.Mul, value);
    /// <summary>this / other elementwise (true division), broadcasting.</summary><param name="other">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    /// <summary>this / value.</summary><param name="value">Right operand.</param><returns>A new tensor.</returns>
    public Tensor Div(double value) => Binary(BinaryOp.Div, value);
    /// <summary>this ^ exponent elementwise.</summary><param name="exponent">Exponents.</param><returns>A new tensor.</returns>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>this ^ exponent.</summary><param name="exponent">Exponent.</param><returns>A new tensor.</returns>
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>Elementwise maximum.</summary><param name="other">Other operand.</param><returns>A new tensor.</returns>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    /// <summary>max(this, value).</summary><param name="value">Lower bound.</param><returns>A new tensor.</returns>
    public Tensor Maximum(double value) => Binary(BinaryOp.Maximum, value);
    /// <summary>Elementwise minimum.</summary><param name="other">Other operand.</param><returns>A new tensor.</returns>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    /// <summary>min(this, value).</summary><param name="value">Upper bound.</param><returns>A new tensor.</returns>
    public Tensor Minimum(double value) => Binary(BinaryOp.Minimum, value);
    /// <summary>Remainder with the sign of the divisor (Python's %).</summary><param name="other">Divisor.</param><returns>A new tensor.</returns>
    public Tensor Remainder(Tensor other) => Binary(BinaryOp.Remainder, other);
    /// <summary>Remainder with the sign of the divisor (Python's %).</summary><param name="value">Divisor.</param><returns>A new tensor.</returns>
    public Tensor Remainder(double value) => Binary(BinaryOp.Remainder, value);

    /// <summary>Elementwise ==.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    /// <summary>Elementwise == value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Eq(double value) => Binary(BinaryOp.Eq, value);
    /// <summary>Elementwise !=.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    /// <summary>Elementwise != value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Ne(double value) => Binary(BinaryOp.Ne, value);
    /// <summary>Elementwise &lt;.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    /// <summary>Elementwise &lt; value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Lt(double value) => Binary(BinaryOp.Lt, value);
    /// <summary>Elementwise &lt;=.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);
    /// <summary>Elementwise &lt;= value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Le(double value) => Binary(BinaryOp.Le, value);
    /// <summary>Elementwise &gt;.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    /// <summary>Elementwise &gt; value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Gt(double value) => Binary(BinaryOp.Gt, value);
    /// <summary>Elementwise &gt;=.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);
    /// <summary>Elementwise &gt;= value.</summary><param name="value">Value.</param><returns>A new bool tensor.</returns>
    public Tensor Ge(double value) => Binary(BinaryOp.Ge, value);
    /// <summary>Elementwise logical and.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    /// <summary>Elementwise logical or.</summary><param name="other">Other operand.</param><returns>A new bool tensor.</returns>
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    /// <summary>Limits every element to [<paramref name="min"/>, <paramref name="max"/>]; a null bound is open.</summary>
    /// <param name="min">Lower bound or null.</param>
    /// <param name="max">Upper bound or null.</param>
    /// <returns>A new tensor.</returns>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null)
        {
            throw new ArgumentException("Clamp needs a minimum, a maximum or both.");
        }

        int status = NativeMethods.mls_tensor_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0,
            out IntPtr raw);
        return Wrap(status, raw, "mls_tensor_clamp");
    }

    /// <summary>Elements of <paramref name="ifTrue"/> where <paramref name="condition"/> holds, else of
    /// <paramref name="ifFalse"/> (broadcasting).</summary>
    /// <param name="condition">Bool tensor.</param>
    /// <param name="ifTrue">Values where true.</param>
    /// <param name="ifFalse">Values where false.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(ifTrue);
        ArgumentNullException.ThrowIfNull(ifFalse);
        int status = NativeMethods.mls_tensor_where(condition.Handle, ifTrue.Handle, ifFalse.Handle, out IntPtr raw);
        return Wrap(status, raw, "mls_tensor_where");
    }

    /// <summary>A copy with <paramref name="value"/> wherever <paramref name="mask"/> is true.</summary>
    /// <param name="mask">Bool tensor broadcastable to this one.</param>
    /// <param name="value">Fill value.</param>
    /// <returns>A new tensor.</returns>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Wrap(NativeMethods.mls_tensor_masked_fill(Handle, mask.Handle, value, out IntPtr raw), raw, "mls_tensor_masked_fill");
    }
}
