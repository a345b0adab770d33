namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Checks of the frame-score layout every CTC decoder takes: one row-major span of <c>frames × classes</c>
/// log-probabilities, class 0 the blank and class k ≥ 1 character <c>alphabet[k - 1]</c>.</summary>
internal static class CtcFrames
{
    /// <summary>The number of frames in <paramref name="logProbabilities"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1, or the span's length is not
    /// a multiple of it.</exception>
    public static int Count(ReadOnlySpan<float> logProbabilities, int classCount, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (logProbabilities.Length % classCount != 0)
        {
            throw new ArgumentOutOfRangeException(parameter, logProbabilities.Length,
                $"The frame scores hold {logProbabilities.Length} values, which is not a whole number of frames of " +
                $"{classCount} classes (blank + {classCount - 1} characters); pass frames × classes log-probabilities, row-major.");
        }

        return logProbabilities.Length / classCount;
    }

    /// <summary>The number of classes for <paramref name="alphabet"/>: the blank plus one per character.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="alphabet"/> is null.</exception>
    public static int ClassCount(string alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        return alphabet.Length + 1;
    }

    /// <summary>The class with the highest score in <paramref name="frame"/>; the first one on ties.</summary>
    /// <exception cref="ArgumentException">A score is NaN (the message names the frame and class).</exception>
    public static int ArgMax(ReadOnlySpan<float> frame, int frameIndex, string parameter)
    {
        int best = 0;
        float bestScore = frame[0];
        for (int k = 0; k < frame.Length; k++)
        {
            float score = frame[k];
            if (float.IsNaN(score))
            {
                throw new ArgumentException($"Frame {frameIndex}, class {k}: the log-probability is NaN.", parameter);
            }

            if (score > bestScore)
            {
                best = k;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The text of labels (each from 1 to <c>alphabet.Length</c>).</summary>
    public static string ToText(ReadOnlySpan<int> labels, string alphabet)
    {
        if (labels.IsEmpty)
        {
            return string.Empty;
        }

        Span<char> text = labels.Length <= 256 ? stackalloc char[labels.Length] : new char[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            text[i] = alphabet[labels[i] - 1];
        }

        return new string(text);
    }
}
