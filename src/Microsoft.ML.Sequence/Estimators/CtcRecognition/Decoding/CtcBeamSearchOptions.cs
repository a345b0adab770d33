using Microsoft.ML.Sequence.Modules;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Options of <see cref="CtcPrefixBeamDecoder"/>. Each property states its default.</summary>
/// <remarks>A prefix's score is log P_ctc + α · log P_lm + β · |prefix| (α = <see cref="LanguageModelWeight"/>,
/// β = <see cref="InsertionBonus"/>, |prefix| its length in characters); without a language model the α term is 0.
/// Choose α and β on a validation split, never on the test set.</remarks>
public sealed class CtcBeamSearchOptions
{
    /// <summary>Prefixes kept after each frame, from 1 to 65536. Default: 16.</summary>
    public int BeamWidth { get; set; } = 16;

    /// <summary>Hypotheses returned, best first, from 1 to <see cref="BeamWidth"/> (fewer when fewer prefixes have a
    /// non-zero probability). Default: 1.</summary>
    public int HypothesisCount { get; set; } = 1;

    /// <summary>α, the weight of the language model's log-probability, a finite number ≥ 0 (used only with a language
    /// model). Default: 0.5.</summary>
    public double LanguageModelWeight { get; set; } = 0.5;

    /// <summary>β, added to the score once per character of a prefix, any finite number; it offsets the language model's
    /// per-character cost, which otherwise favours short prefixes. Default: 0.</summary>
    public double InsertionBonus { get; set; }

    /// <summary>Characters whose log-probability in a frame is below this are not tried as extensions in that frame
    /// (the frame's most probable character always is); a number ≤ 0, or <see cref="double.NegativeInfinity"/> to try
    /// every character (exact, slower). Frames of a trained recogniser put almost all mass on a few classes, so the
    /// default prunes only extensions below e^-12 ≈ 6e-6 of a frame. Default: -12.</summary>
    public double CharacterPruningLogProbability { get; set; } = -12;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and gives the
    /// expected and actual values.</exception>
    public void Validate()
    {
        Arguments.Range(BeamWidth, 1, 65536, nameof(BeamWidth));
        Arguments.Range(HypothesisCount, 1, BeamWidth, nameof(HypothesisCount));
        Arguments.NonNegative(LanguageModelWeight, nameof(LanguageModelWeight));
        if (!double.IsFinite(InsertionBonus))
        {
            throw new ArgumentOutOfRangeException(nameof(InsertionBonus), InsertionBonus, $"{nameof(InsertionBonus)} must be a finite number; got {InsertionBonus}.");
        }

        if (!(CharacterPruningLogProbability <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CharacterPruningLogProbability), CharacterPruningLogProbability,
                $"{nameof(CharacterPruningLogProbability)} must be a number ≤ 0 or negative infinity; got {CharacterPruningLogProbability}.");
        }
    }

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public CtcBeamSearchOptions Clone() => (CtcBeamSearchOptions)MemberwiseClone();
}
