using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Builds a network input from samples: images [B, 1, H, W_max] or features [B, T_max, F], zero-padded
/// (background / silence), created in the caller's dispose scope.</summary>
internal static class CtcTensors
{
    /// <summary>The padded input of <paramref name="rows"/> of <paramref name="samples"/> and their real lengths.</summary>
    /// <param name="samples">All samples.</param>
    /// <param name="rows">The rows of the batch, in order.</param>
    /// <param name="kind">Images or features.</param>
    /// <param name="size">Images: height; features: F.</param>
    /// <param name="device">Where the tensor goes.</param>
    public static (Tensor Input, long[] Lengths) Build(IReadOnlyList<CtcSample> samples, IReadOnlyList<int> rows, CtcInputKind kind, int size,
        Device device)
    {
        int batch = rows.Count;
        int maxLength = rows.Max(r => samples[r].Length);
        var values = new float[(long)batch * size * maxLength];
        var lengths = new long[batch];
        for (int b = 0; b < batch; b++)
        {
            CtcSample sample = samples[rows[b]];
            lengths[b] = sample.Length;
            if (kind == CtcInputKind.Image)
            {
                // Row y of image b starts at ((b·H) + y)·W_max; the sample is H rows of Length values.
                for (int y = 0; y < size; y++)
                {
                    Array.Copy(sample.Values, y * sample.Length, values, (((long)b * size) + y) * maxLength, sample.Length);
                }
            }
            else
            {
                Array.Copy(sample.Values, 0, values, (long)b * maxLength * size, sample.Values.Length);
            }
        }

        long[] shape = kind == CtcInputKind.Image ? [batch, 1, size, maxLength] : [batch, maxLength, size];
        Tensor input = tensor(values, shape);
        return (device.type == DeviceType.CPU ? input : input.to(device), lengths);
    }
}
