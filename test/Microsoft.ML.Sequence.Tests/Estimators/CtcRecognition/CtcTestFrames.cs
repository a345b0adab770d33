namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>Frame log-probabilities for CTC decoder tests.</summary>
internal static class CtcTestFrames
{
    /// <summary>Log-probabilities that put <paramref name="peak"/> on the class written in each frame of
    /// <paramref name="path"/> ('-' the blank, any other character its class in <paramref name="alphabet"/>) and spread
    /// the rest evenly.</summary>
    public static float[] FromPath(string path, string alphabet, double peak = 0.9)
    {
        int classes = alphabet.Length + 1;
        var scores = new float[path.Length * classes];
        double rest = Math.Log((1 - peak) / (classes - 1));
        for (int t = 0; t < path.Length; t++)
        {
            int target = path[t] == '-' ? 0 : alphabet.IndexOf(path[t], StringComparison.Ordinal) + 1;
            if (target < 0)
            {
                throw new ArgumentException($"'{path[t]}' is not in the alphabet", nameof(path));
            }

            for (int k = 0; k < classes; k++)
            {
                scores[t * classes + k] = (float)(k == target ? Math.Log(peak) : rest);
            }
        }

        return scores;
    }

    /// <summary>Random log-softmax frames: Gaussian logits times <paramref name="sharpness"/>.</summary>
    public static float[] Random(Random random, int frames, int classes, double sharpness)
    {
        var scores = new float[frames * classes];
        var logits = new double[classes];
        for (int t = 0; t < frames; t++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                logits[k] = sharpness * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                max = Math.Max(max, logits[k]);
            }

            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += Math.Exp(logits[k] - max);
            }

            double logSum = max + Math.Log(sum);
            for (int k = 0; k < classes; k++)
            {
                scores[t * classes + k] = (float)(logits[k] - logSum);
            }
        }

        return scores;
    }
}
