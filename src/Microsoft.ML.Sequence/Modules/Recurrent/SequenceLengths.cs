using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Row lengths of one forward pass, with the index tensors the masked and per-step paths need (created
/// lazily in the current scope, so an instance lives only inside one forward call).</summary>
internal sealed class SequenceLengths
{
    private readonly Device _device;
    private Tensor? _mask;
    private Tensor? _padding;
    private Tensor? _reverseIndex;
    private Tensor? _lastIndex;

    public SequenceLengths(long[]? values, long batch, long steps, Device device)
    {
        Values = values ?? Enumerable.Repeat(steps, checked((int)batch)).ToArray();
        Batch = batch;
        Steps = steps;
        _device = device;
        MinLength = Values.Length == 0 ? steps : Values.Min();
        IsFull = MinLength == steps;
    }

    public long[] Values { get; }

    public long Batch { get; }

    public long Steps { get; }

    public long MinLength { get; }

    /// <summary>Every row runs all <see cref="Steps"/> steps: no masking or reversal by length is needed.</summary>
    public bool IsFull { get; }

    /// <summary>Reads and checks lengths: int64/int32 [B], every entry in [1, T] (the message names the row).</summary>
    public static long[] Read(Tensor lengths, long batch, long steps)
    {
        if (lengths.Rank != 1 || lengths.Size(0) != batch)
        {
            throw new ArgumentException(
                $"lengths must be [{batch}] (one per row), got [{string.Join(", ", lengths.Shape)}].", nameof(lengths));
        }

        if (lengths.DType is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException($"lengths must be int64 (or int32), got {lengths.DType}.", nameof(lengths));
        }

        long[] values;
        using (TensorScope.Begin())
        {
            values = lengths.To(Device.Cpu).To(DType.Int64).ToArray<long>();
        }

        for (int row = 0; row < values.Length; row++)
        {
            if (values[row] < 1 || values[row] > steps)
            {
                string problem = values[row] < 1 ? "row " + row + " is empty" : "row " + row + " is longer than the input";
                throw new ArgumentException(
                    $"lengths[{row}] = {values[row]}: {problem}; every length must be in [1, {steps}] (the input has {steps} steps).",
                    nameof(lengths));
            }
        }

        return values;
    }

    /// <summary>Bool [B, 1]: rows still running at step <paramref name="t"/>.</summary>
    public Tensor StepMask(long t) => Mask.Select(1, t).Unsqueeze(1);

    /// <summary>Reverses each row of [B, T, F] within its own length (steps past the end stay in place).</summary>
    public Tensor Reverse(Tensor x)
    {
        if (IsFull)
        {
            return x.Flip(1);
        }

        _reverseIndex ??= Index((b, t) => t < Values[b] ? Values[b] - 1 - t : t, Steps);
        return x.Gather(1, _reverseIndex.Unsqueeze(2).Expand(Batch, Steps, x.Size(2)));
    }

    /// <summary>[B, H]: each row of [B, T, H] at its last valid step.</summary>
    public Tensor Last(Tensor y)
    {
        if (IsFull)
        {
            return y.Select(1, Steps - 1);
        }

        _lastIndex ??= Index((b, _) => Values[b] - 1, 1);
        return y.Gather(1, _lastIndex.Unsqueeze(2).Expand(Batch, 1, y.Size(2))).Squeeze(1);
    }

    /// <summary>Sets the steps past each row's end of [B, T, H] to zero.</summary>
    public Tensor ZeroPadding(Tensor y) => IsFull ? y : y.MaskedFill(Padding, 0);

    private Tensor Mask => _mask ??= Index((b, t) => t < Values[b] ? 1 : 0, Steps).Ne(0);

    private Tensor Padding => _padding ??= Mask.LogicalNot().Unsqueeze(2);

    private Tensor Index(Func<int, long, long> value, long columns)
    {
        var data = new long[Batch * columns];
        for (int b = 0; b < Batch; b++)
        {
            for (long t = 0; t < columns; t++)
            {
                data[b * columns + t] = value(b, t);
            }
        }

        return Tensor.From<long>(data, [Batch, columns], _device);
    }
}
