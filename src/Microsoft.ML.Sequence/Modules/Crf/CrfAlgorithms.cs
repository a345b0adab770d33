namespace Microsoft.ML.Sequence.Modules.Crf;

/// <summary>Viterbi and forward–backward for one sequence, in double precision.</summary>
internal static class CrfAlgorithms
{
    public static long[] Viterbi(CrfTables tables, int row, int length)
    {
        int k = tables.TagCount;
        var score = new double[k];
        var next = new double[k];
        var backPointers = new int[length, k];
        for (int j = 0; j < k; j++)
        {
            score[j] = tables.Start[j] + tables.Emission(row, 0, j);
        }

        for (int t = 1; t < length; t++)
        {
            for (int j = 0; j < k; j++)
            {
                double best = double.NegativeInfinity;
                int argBest = 0;
                for (int i = 0; i < k; i++)
                {
                    double candidate = score[i] + tables.Transition(i, j);
                    if (candidate > best)
                    {
                        best = candidate;
                        argBest = i;
                    }
                }

                next[j] = best + tables.Emission(row, t, j);
                backPointers[t, j] = argBest;
            }

            (score, next) = (next, score);
        }

        int last = 0;
        double bestFinal = double.NegativeInfinity;
        for (int j = 0; j < k; j++)
        {
            if (score[j] + tables.End[j] > bestFinal)
            {
                bestFinal = score[j] + tables.End[j];
                last = j;
            }
        }

        var path = new long[length];
        path[length - 1] = last;
        for (int t = length - 1; t > 0; t--)
        {
            path[t - 1] = backPointers[t, (int)path[t]];
        }

        return path;
    }

    /// <summary>Writes p(y_t = j | x) into <paramref name="output"/> ([steps × K] row-major; steps ≥ length).</summary>
    public static void Marginals(CrfTables tables, int row, int length, Span<float> output)
    {
        int k = tables.TagCount;
        var alpha = new double[length, k];
        var beta = new double[length, k];
        var terms = new double[k];
        for (int j = 0; j < k; j++)
        {
            alpha[0, j] = tables.Start[j] + tables.Emission(row, 0, j);
            beta[length - 1, j] = tables.End[j];
        }

        for (int t = 1; t < length; t++)
        {
            for (int j = 0; j < k; j++)
            {
                for (int i = 0; i < k; i++)
                {
                    terms[i] = alpha[t - 1, i] + tables.Transition(i, j);
                }

                alpha[t, j] = LogSumExp(terms) + tables.Emission(row, t, j);
            }
        }

        for (int t = length - 2; t >= 0; t--)
        {
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    terms[j] = tables.Transition(i, j) + tables.Emission(row, t + 1, j) + beta[t + 1, j];
                }

                beta[t, i] = LogSumExp(terms);
            }
        }

        for (int j = 0; j < k; j++)
        {
            terms[j] = alpha[length - 1, j] + tables.End[j];
        }

        double logZ = LogSumExp(terms);
        for (int t = 0; t < length; t++)
        {
            for (int j = 0; j < k; j++)
            {
                output[t * k + j] = (float)Math.Exp(alpha[t, j] + beta[t, j] - logZ);
            }
        }
    }

    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
