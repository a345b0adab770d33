namespace Microsoft.ML.Sequence.Torch;

/// <summary>Element type of a <see cref="Tensor"/>. The values are libtorch's scalar-type codes.</summary>
public enum DType
{
    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>).</summary>
    UInt8 = 0,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 3,

    /// <summary>Signed 64-bit integer (<see cref="long"/>); the type of indices, keys and lengths.</summary>
    Int64 = 4,

    /// <summary>32-bit floating point (<see cref="float"/>); the default for weights and activations.</summary>
    Float32 = 6,

    /// <summary>64-bit floating point (<see cref="double"/>); used by gradient checks.</summary>
    Float64 = 7,

    /// <summary>Boolean (<see cref="bool"/>), one byte per element.</summary>
    Bool = 11,
}
