namespace Microsoft.ML.Sequence.Data;

/// <summary>A column of integer or floating-point scalars: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>
/// or <see cref="double"/>.</summary>
public sealed class NumberColumnType : SequenceColumnType
{
    private readonly string _name;

    private NumberColumnType(Type clrType, string name)
        : base(clrType)
    {
        _name = name;
    }

    /// <summary>32-bit signed integers (<see cref="int"/>).</summary>
    public static NumberColumnType Int32 { get; } = new(typeof(int), "Int32");

    /// <summary>64-bit signed integers (<see cref="long"/>).</summary>
    public static NumberColumnType Int64 { get; } = new(typeof(long), "Int64");

    /// <summary>32-bit floating point (<see cref="float"/>).</summary>
    public static NumberColumnType Float32 { get; } = new(typeof(float), "Float32");

    /// <summary>64-bit floating point (<see cref="double"/>).</summary>
    public static NumberColumnType Float64 { get; } = new(typeof(double), "Float64");

    /// <summary>True for <see cref="Float32"/> and <see cref="Float64"/>.</summary>
    public bool IsFloatingPoint => ClrType == typeof(float) || ClrType == typeof(double);

    /// <summary>The number type whose CLR type is <paramref name="clrType"/>.</summary>
    /// <param name="clrType"><see cref="int"/>, <see cref="long"/>, <see cref="float"/> or <see cref="double"/>.</param>
    /// <returns>The matching instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="clrType"/> is not one of the four.</exception>
    public static NumberColumnType FromClrType(Type clrType)
    {
        if (clrType == typeof(int)) return Int32;
        if (clrType == typeof(long)) return Int64;
        if (clrType == typeof(float)) return Float32;
        if (clrType == typeof(double)) return Float64;
        throw new ArgumentException($"{clrType.Name} is not a number type; expected int, long, float or double.", nameof(clrType));
    }

    /// <summary>The number type with the name <see cref="ToString"/> returns.</summary>
    /// <param name="name"><c>Int32</c>, <c>Int64</c>, <c>Float32</c> or <c>Float64</c>.</param>
    /// <returns>The matching instance.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static NumberColumnType FromName(string name) => name switch
    {
        "Int32" => Int32,
        "Int64" => Int64,
        "Float32" => Float32,
        "Float64" => Float64,
        _ => throw new ArgumentException($"Unknown number type '{name}'; expected Int32, Int64, Float32 or Float64.", nameof(name)),
    };

    /// <inheritdoc/>
    public override bool Equals(SequenceColumnType? other) => ReferenceEquals(this, other);

    /// <summary>The type's name.</summary>
    /// <returns><c>Int32</c>, <c>Int64</c>, <c>Float32</c> or <c>Float64</c>.</returns>
    public override string ToString() => _name;
}
