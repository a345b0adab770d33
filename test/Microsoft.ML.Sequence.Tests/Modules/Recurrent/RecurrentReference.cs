namespace Microsoft.ML.Sequence.Tests.Modules.Recurrent;

/// <summary>Which recurrence <see cref="RecurrentReference"/> computes (mirrors the library's RecurrentMode).</summary>
internal enum ReferenceCell
{
    Lstm,
    Gru,
    RnnTanh,
    RnnRelu,
}

/// <summary>
/// A plain scalar implementation of the fused recurrent kernels, written from the equations with double arithmetic
/// on arrays (no libtorch), to check the recurrent layers' kernels step by step.
/// </summary>
/// <remarks>
/// Layout follows libtorch: input [B, T, F] batch-first; weights per layer, then per direction (forward, backward):
/// W_ih [G·H, in], W_hh [G·H, H], b_ih [G·H], b_hh [G·H], row-major; states [L·D, B, H]. Row b runs only its first
/// lengths[b] steps; the backward direction starts at the last valid step. Outputs past a row's end are zero.
/// </remarks>
internal static class RecurrentReference
{
    public static int GateCount(ReferenceCell cell) => cell switch
    {
        ReferenceCell.Lstm => 4,
        ReferenceCell.Gru => 3,
        _ => 1,
    };

    /// <summary>Runs the recurrence.</summary>
    /// <returns>Output [B, T, D·H], final hidden [L·D, B, H], final cell [L·D, B, H] (LSTM, else null).</returns>
    public static (double[] Output, double[] FinalHidden, double[]? FinalCell) Run(ReferenceCell cell, double[] input,
        int batch, int steps, int features, int[] lengths, IReadOnlyList<double[]> weights, int hidden, int layers,
        bool bidirectional, double[] h0, double[]? c0)
    {
        int directions = bidirectional ? 2 : 1;
        int gates = GateCount(cell);
        var finalHidden = new double[layers * directions * batch * hidden];
        double[]? finalCell = cell == ReferenceCell.Lstm ? new double[finalHidden.Length] : null;
        double[] layerInput = input;
        int inWidth = features;
        for (int layer = 0; layer < layers; layer++)
        {
            var layerOutput = new double[batch * steps * directions * hidden];
            for (int direction = 0; direction < directions; direction++)
            {
                int stateIndex = layer * directions + direction;
                int w = stateIndex * 4;
                double[] wIh = weights[w], wHh = weights[w + 1], bIh = weights[w + 2], bHh = weights[w + 3];
                for (int b = 0; b < batch; b++)
                {
                    var h = new double[hidden];
                    var c = new double[hidden];
                    Array.Copy(h0, (stateIndex * batch + b) * hidden, h, 0, hidden);
                    if (c0 is not null)
                    {
                        Array.Copy(c0, (stateIndex * batch + b) * hidden, c, 0, hidden);
                    }

                    for (int s = 0; s < lengths[b]; s++)
                    {
                        int t = direction == 0 ? s : lengths[b] - 1 - s;
                        double[] x = new double[inWidth];
                        Array.Copy(layerInput, (b * steps + t) * inWidth, x, 0, inWidth);
                        double[] gi = Affine(wIh, bIh, x, gates * hidden);
                        double[] gh = Affine(wHh, bHh, h, gates * hidden);
                        Step(cell, gi, gh, h, c, hidden);
                        Array.Copy(h, 0, layerOutput, (b * steps + t) * directions * hidden + direction * hidden, hidden);
                    }

                    Array.Copy(h, 0, finalHidden, (stateIndex * batch + b) * hidden, hidden);
                    if (finalCell is not null)
                    {
                        Array.Copy(c, 0, finalCell, (stateIndex * batch + b) * hidden, hidden);
                    }
                }
            }

            layerInput = layerOutput;
            inWidth = directions * hidden;
        }

        return (layerInput, finalHidden, finalCell);
    }

    /// <summary>One time step: updates h (and c for LSTM) in place from the two affine maps.</summary>
    private static void Step(ReferenceCell cell, double[] gi, double[] gh, double[] h, double[] c, int hidden)
    {
        for (int k = 0; k < hidden; k++)
        {
            switch (cell)
            {
                case ReferenceCell.Lstm:
                {
                    // Gate blocks i, f, g, o; c = f ⊙ c' + i ⊙ g; h = o ⊙ tanh(c).
                    double i = Sigmoid(gi[k] + gh[k]);
                    double f = Sigmoid(gi[hidden + k] + gh[hidden + k]);
                    double g = Math.Tanh(gi[2 * hidden + k] + gh[2 * hidden + k]);
                    double o = Sigmoid(gi[3 * hidden + k] + gh[3 * hidden + k]);
                    c[k] = f * c[k] + i * g;
                    h[k] = o * Math.Tanh(c[k]);
                    break;
                }

                case ReferenceCell.Gru:
                {
                    // Gate blocks r, z, n; the reset gate multiplies (W_hn h' + b_hn), after the recurrent product.
                    double r = Sigmoid(gi[k] + gh[k]);
                    double z = Sigmoid(gi[hidden + k] + gh[hidden + k]);
                    double n = Math.Tanh(gi[2 * hidden + k] + r * gh[2 * hidden + k]);
                    h[k] = (1 - z) * n + z * h[k];
                    break;
                }

                case ReferenceCell.RnnTanh:
                    h[k] = Math.Tanh(gi[k] + gh[k]);
                    break;

                case ReferenceCell.RnnRelu:
                    h[k] = Math.Max(0, gi[k] + gh[k]);
                    break;
            }
        }
    }

    /// <summary>W x + b for a row-major W [rows, x.Length].</summary>
    private static double[] Affine(double[] weight, double[] bias, double[] x, int rows)
    {
        var result = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = bias[r];
            for (int j = 0; j < x.Length; j++)
            {
                sum += weight[r * x.Length + j] * x[j];
            }

            result[r] = sum;
        }

        return result;
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
