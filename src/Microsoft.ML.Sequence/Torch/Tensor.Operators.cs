namespace Microsoft.ML.Sequence.Torch;

// Arithmetic operators only (STYLE B5): comparisons are methods and == keeps reference equality.
public sealed partial class Tensor
{
    /// <summary>Elementwise sum.</summary><param name="left">Left operand.</param><param name="right">Right operand.</param><returns>A new tensor.</returns>
    public static Tensor operator +(Tensor left, Tensor right) => left.Add(right);
    /// <summary>Adds a scalar.</summary><param name="left">Tensor.</param><param name="right">Scalar.</param><returns>A new tensor.</returns>
    public static Tensor operator +(Tensor left, double right) => left.Add(right);
    /// <summary>Adds a scalar.</summary><param name="left">Scalar.</param><param name="right">Tensor.</param><returns>A new tensor.</returns>
    public static Tensor operator +(double left, Tensor right) => right.Add(left);
    /// <summary>Elementwise difference.</summary><param name="left">Left operand.</param><param name="right">Right operand.</param><returns>A new tensor.</returns>
    public static Tensor operator -(Tensor left, Tensor right) => left.Sub(right);
    /// <summary>Subtracts a scalar.</summary><param name="left">Tensor.</param><param name="right">Scalar.</param><returns>A new tensor.</returns>
    public static Tensor operator -(Tensor left, double right) => left.Sub(right);
    /// <summary>Scalar minus tensor.</summary><param name="left">Scalar.</param><param name="right">Tensor.</param><returns>A new tensor.</returns>
    public static Tensor operator -(double left, Tensor right)
    {
        using Tensor negated = right.Neg();
        return negated.Add(left);
    }

    /// <summary>Negation.</summary><param name="value">Tensor.</param><returns>A new tensor.</returns>
    public static Tensor operator -(Tensor value) => value.Neg();
    /// <summary>Elementwise product.</summary><param name="left">Left operand.</param><param name="right">Right operand.</param><returns>A new tensor.</returns>
    public static Tensor operator *(Tensor left, Tensor right) => left.Mul(right);
    /// <summary>Multiplies by a scalar.</summary><param name="left">Tensor.</param><param name="right">Scalar.</param><returns>A new tensor.</returns>
    public static Tensor operator *(Tensor left, double right) => left.Mul(right);
    /// <summary>Multiplies by a scalar.</summary><param name="left">Scalar.</param><param name="right">Tensor.</param><returns>A new tensor.</returns>
    public static Tensor operator *(double left, Tensor right) => right.Mul(left);
    /// <summary>Elementwise quotient.</summary><param name="left">Left operand.</param><param name="right">Right operand.</param><returns>A new tensor.</returns>
    public static Tensor operator /(Tensor left, Tensor right) => left.Div(right);
    /// <summary>Divides by a scalar.</summary><param name="left">Tensor.</param><param name="right">Scalar.</param><returns>A new tensor.</returns>
    public static Tensor operator /(Tensor left, double right) => left.Div(right);
    /// <summary>Scalar divided by tensor.</summary><param name="left">Scalar.</param><param name="right">Tensor.</param><returns>A new tensor.</returns>
    public static Tensor operator /(double left, Tensor right)
    {
        using Tensor reciprocal = right.Reciprocal();
        return reciprocal.Mul(left);
    }
}
