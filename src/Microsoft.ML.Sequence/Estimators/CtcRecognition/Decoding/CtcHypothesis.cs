namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>One labelling found by <see cref="CtcPrefixBeamDecoder"/>, with its scores.</summary>
public sealed class CtcHypothesis
{
    /// <summary>Creates a hypothesis.</summary>
    /// <param name="text">The text.</param>
    /// <param name="labels">Its class indices (each ≥ 1), one per character.</param>
    /// <param name="score">The search score (see <see cref="Score"/>).</param>
    /// <param name="ctcLogProbability">log P_ctc of the labelling.</param>
    /// <param name="languageModelLogProbability">log P_lm of the line, or null without a language model.</param>
    /// <exception cref="ArgumentException"><paramref name="labels"/> and <paramref name="text"/> differ in length.</exception>
    public CtcHypothesis(string text, IReadOnlyList<int> labels, double score, double ctcLogProbability, double? languageModelLogProbability)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != text.Length)
        {
            throw new ArgumentException($"{labels.Count} labels for text of {text.Length} characters.", nameof(labels));
        }

        Text = text;
        Labels = labels;
        Score = score;
        CtcLogProbability = ctcLogProbability;
        LanguageModelLogProbability = languageModelLogProbability;
    }

    /// <summary>The recognised text.</summary>
    public string Text { get; }

    /// <summary>The class index of each character (character <c>alphabet[label - 1]</c>).</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>log P_ctc + α · log P_lm + β · |text| (natural logarithms; higher is better); the hypotheses of one line
    /// are ranked by it. Equal to <see cref="CtcLogProbability"/> + β · |text| without a language model.</summary>
    public double Score { get; }

    /// <summary>The natural logarithm of the CTC probability of the labelling: the sum over all frame alignments that
    /// collapse to it, as far as the beam kept them (exact when the beam never dropped one of its prefixes).</summary>
    public double CtcLogProbability { get; }

    /// <summary>The language model's log-probability of the whole line (each character given the ones before it, then
    /// the end of line), or null when decoding without a language model.</summary>
    public double? LanguageModelLogProbability { get; }
}
