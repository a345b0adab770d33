namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>The figures a classifier's validation pass reports after each epoch: mean log-loss, accuracy and macro-F1
/// over the classes (a class with neither rows nor predictions scores F1 0, as ML.NET's evaluator counts it).</summary>
internal static class ClassificationValidation
{
    private const double ProbabilityFloor = 1e-15;

    /// <summary>Scores class probabilities against the true classes.</summary>
    /// <param name="actual">The true class of each row, 0-based.</param>
    /// <param name="probabilities">Each row's probabilities, one per class.</param>
    /// <returns>Loss, accuracy and macro-F1.</returns>
    public static ValidationResult Score(IReadOnlyList<int> actual, IReadOnlyList<float[]> probabilities)
    {
        int classes = probabilities.Count == 0 ? 0 : probabilities[0].Length;
        var truePositives = new int[classes];
        var predictedCounts = new int[classes];
        var actualCounts = new int[classes];
        double logLoss = 0;
        int correct = 0;
        for (int row = 0; row < actual.Count; row++)
        {
            float[] p = probabilities[row];
            int best = 0;
            for (int c = 1; c < p.Length; c++)
            {
                if (p[c] > p[best])
                {
                    best = c;
                }
            }

            predictedCounts[best]++;
            actualCounts[actual[row]]++;
            if (best == actual[row])
            {
                truePositives[best]++;
                correct++;
            }

            logLoss -= Math.Log(Math.Max(p[actual[row]], ProbabilityFloor));
        }

        double macroF1 = 0;
        for (int c = 0; c < classes; c++)
        {
            int denominator = predictedCounts[c] + actualCounts[c];
            macroF1 += denominator == 0 ? 0 : 2.0 * truePositives[c] / denominator;
        }

        int n = actual.Count;
        return new ValidationResult(n == 0 ? 0 : logLoss / n, n == 0 ? 0 : (double)correct / n, classes == 0 ? 0 : macroF1 / classes);
    }
}
