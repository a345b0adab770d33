namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>CTC best-path (greedy) decoding: take the most probable class in every frame, merge repeated classes, then
/// drop the blanks.</summary>
/// <remarks>
/// <para>Frame scores are one row-major span of <c>frames × classes</c> log-probabilities (a log-softmax output for one
/// line; scores of any monotone transform of the probabilities give the same result). Class 0 is the CTC blank; class
/// k ≥ 1 is character <c>alphabet[k - 1]</c>.</para>
/// <para>Merging comes before dropping, so a blank between two equal classes keeps both: frames <c>l - l</c> decode to
/// "ll", frames <c>l l</c> to "l". Ties within a frame go to the lower class (the blank first).</para>
/// <para>This is the most probable single alignment, not always the most probable labelling (which sums over all
/// alignments); CTC prefix beam search looks for the latter.</para>
/// </remarks>
public static class CtcBestPathDecoder
{
    /// <summary>Decodes one line to text.</summary>
    /// <param name="logProbabilities">Frames × (<c>alphabet.Length</c> + 1) scores, row-major; may be empty (no frames).</param>
    /// <param name="alphabet">Character of class k at index k - 1.</param>
    /// <returns>The text; empty when every frame's best class is the blank.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="alphabet"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The span is not a whole number of frames.</exception>
    /// <exception cref="ArgumentException">A score is NaN.</exception>
    public static string Decode(ReadOnlySpan<float> logProbabilities, string alphabet)
    {
        int[] labels = DecodeLabels(logProbabilities, CtcFrames.ClassCount(alphabet));
        return CtcFrames.ToText(labels, alphabet);
    }

    /// <summary>Decodes one line to class indices.</summary>
    /// <param name="logProbabilities">Frames × <paramref name="classCount"/> scores, row-major; may be empty.</param>
    /// <param name="classCount">Classes per frame, blank included (at least 1).</param>
    /// <returns>The labels, each from 1 to <paramref name="classCount"/> - 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1, or the span is not a whole
    /// number of frames.</exception>
    /// <exception cref="ArgumentException">A score is NaN.</exception>
    public static int[] DecodeLabels(ReadOnlySpan<float> logProbabilities, int classCount)
    {
        int frames = CtcFrames.Count(logProbabilities, classCount, nameof(logProbabilities));
        var labels = new List<int>();
        int previous = 0;
        for (int t = 0; t < frames; t++)
        {
            int best = CtcFrames.ArgMax(logProbabilities.Slice(t * classCount, classCount), t, nameof(logProbabilities));
            if (best != 0 && best != previous)
            {
                labels.Add(best);
            }

            previous = best;
        }

        return [.. labels];
    }

    /// <summary>The most probable class of every frame (class 0 the blank), before merging and dropping; what an
    /// alignment picture shows.</summary>
    /// <param name="logProbabilities">Frames × <paramref name="classCount"/> scores, row-major; may be empty.</param>
    /// <param name="classCount">Classes per frame, blank included (at least 1).</param>
    /// <returns>One class per frame.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 1, or the span is not a whole
    /// number of frames.</exception>
    /// <exception cref="ArgumentException">A score is NaN.</exception>
    public static int[] FrameClasses(ReadOnlySpan<float> logProbabilities, int classCount)
    {
        int frames = CtcFrames.Count(logProbabilities, classCount, nameof(logProbabilities));
        var classes = new int[frames];
        for (int t = 0; t < frames; t++)
        {
            classes[t] = CtcFrames.ArgMax(logProbabilities.Slice(t * classCount, classCount), t, nameof(logProbabilities));
        }

        return classes;
    }

    /// <summary>The CTC collapse of a frame-level path: merges runs of equal classes, then drops blanks (class 0).</summary>
    /// <param name="frameClasses">One class per frame (each at least 0).</param>
    /// <returns>The labelling the path stands for.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A class is negative.</exception>
    public static int[] Collapse(ReadOnlySpan<int> frameClasses)
    {
        var labels = new List<int>();
        int previous = 0;
        for (int t = 0; t < frameClasses.Length; t++)
        {
            int current = frameClasses[t];
            if (current < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(frameClasses), current, $"Frame {t}: classes are 0 (blank) or more.");
            }

            if (current != 0 && current != previous)
            {
                labels.Add(current);
            }

            previous = current;
        }

        return [.. labels];
    }
}
