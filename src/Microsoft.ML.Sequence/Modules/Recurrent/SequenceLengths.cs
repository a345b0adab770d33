using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>Row lengths of one forward pass, with the index tensors the masked and per-step paths need (created
/// lazily in the current dispose scope, so an instance lives only inside one forward call).</summary>
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
        if (lengths.dim() != 1 || lengths.shape[0] != batch)
        {
            throw new ArgumentException(
                $"lengths must be [{batch}] (one per row), got [{string.Join(", ", lengths.shape)}].", nameof(lengths));
        }

        if (lengths.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new ArgumentException($"lengths must be int64 (or int32), got {lengths.dtype}.", nameof(lengths));
        }

        long[] values;
        using (torch.NewDisposeScope())
        {
            values = TensorValues.ToArray<long>(lengths.cpu().to(ScalarType.Int64));
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
    public Tensor StepMask(long t) => Mask.select(1, t).unsqueeze(1);

    /// <summary>Reverses each row of [B, T, F] within its own length (steps past the end stay in place).</summary>
    public Tensor Reverse(Tensor x)
    {
        if (IsFull)
        {
            return x.flip(1);
        }

        _reverseIndex ??= Index((b, t) => t < Values[b] ? Values[b] - 1 - t : t, Steps);
        return x.gather(1, _reverseIndex.unsqueeze(2).expand(Batch, Steps, x.shape[2]));
    }

    /// <summary>[B, H]: each row of [B, T, H] at its last valid step.</summary>
    public Tensor Last(Tensor y)
    {
        if (IsFull)
        {
            return y.select(1, Steps - 1);
        }

        _lastIndex ??= Index((b, _) => Values[b] - 1, 1);
        return y.gather(1, _lastIndex.unsqueeze(2).expand(Batch, 1, y.shape[2])).squeeze(1);
    }

    /// <summary>Sets the steps past each row's end of [B, T, H] to zero.</summary>
    public Tensor ZeroPadding(Tensor y) => IsFull ? y : y.masked_fill(Padding, 0);

    private Tensor Mask => _mask ??= Index((b, t) => t < Values[b] ? 1 : 0, Steps).ne(0);

    private Tensor Padding => _padding ??= Mask.logical_not().unsqueeze(2);

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

        return torch.tensor(data, device: _device).view(Batch, columns);
    }
}
