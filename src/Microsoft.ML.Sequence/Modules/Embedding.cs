using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>A lookup table mapping integer ids to learned vectors.</summary>
/// <remarks>
/// <para>Parameter: <c>weight</c> [count, dimension].</para>
/// <para>Initialisation (PyTorch's default for <c>nn.Embedding</c>): N(0, 1), with the padding row set to zero.
/// The padding row receives no gradient, so it stays zero through training.</para>
/// </remarks>
public sealed class Embedding : Module
{
    private readonly ModuleParameter _weight;

    /// <summary>Creates the table with float32 values on the CPU.</summary>
    /// <param name="count">Number of rows (vocabulary size), at least 1.</param>
    /// <param name="dimension">Width of each vector, at least 1.</param>
    /// <param name="paddingIndex">Row used for padding (zero, no gradient), in [0, count), or null for none.
    /// Default: 0.</param>
    /// <param name="generator">Source of the initial values; null uses libtorch's global generator. Default: null.</param>
    public Embedding(long count, int dimension, long? paddingIndex = 0, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (paddingIndex is { } pad && (pad < 0 || pad >= count))
        {
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), paddingIndex,
                $"The padding index must be in [0, {count}) or null.");
        }

        Count = count;
        Dimension = dimension;
        PaddingIndex = paddingIndex;
        using (TensorScope.Begin())
        {
            Tensor initial = Initialization.Normal([count, dimension], generator);
            if (paddingIndex is { } row)
            {
                initial.Select(0, row).FillInPlace(0);
            }

            _weight = RegisterParameter("weight", initial);
        }
    }

    /// <summary>Number of rows.</summary>
    public long Count { get; }

    /// <summary>Width of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The padding row, or null when there is none.</summary>
    public long? PaddingIndex { get; }

    /// <summary>The table [count, dimension].</summary>
    public ModuleParameter Weight => _weight;

    /// <summary>Whether the table is frozen (not trained, for example pretrained vectors). Default: false.</summary>
    public bool Frozen
    {
        get => !_weight.RequiresGrad;
        set => _weight.RequiresGrad = !value;
    }

    /// <summary>Looks up the vectors of <paramref name="indices"/>.</summary>
    /// <param name="indices">int64 ids in [0, count), any shape.</param>
    /// <returns>[indices shape…, dimension].</returns>
    public Tensor Forward(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.DType != DType.Int64)
        {
            throw new ArgumentException($"Embedding ids must be int64, got {indices.DType}.", nameof(indices));
        }

        return NeuralOps.Embedding(_weight.Value, indices, PaddingIndex);
    }
}
