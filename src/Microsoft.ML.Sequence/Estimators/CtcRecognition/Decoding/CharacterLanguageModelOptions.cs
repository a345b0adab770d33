using Microsoft.ML.Sequence.Modules;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Options of <see cref="CharacterLanguageModel.Train(IEnumerable{string}, CharacterLanguageModelOptions?)"/>.
/// Each property states its default.</summary>
public sealed class CharacterLanguageModelOptions
{
    /// <summary>The n of the n-grams: a character's probability depends on the n - 1 characters before it (sentence-start
    /// symbols before the first), from 1 to 16. Default: 5.</summary>
    public int Order { get; set; } = 5;

    /// <summary>How unseen n-grams get probability. Default: <see cref="LanguageModelSmoothing.KneserNey"/>.</summary>
    public LanguageModelSmoothing Smoothing { get; set; } = LanguageModelSmoothing.KneserNey;

    /// <summary>The k of <see cref="LanguageModelSmoothing.AddK"/>: the pseudo-count added to every symbol, a finite
    /// number &gt; 0. Default: 0.1.</summary>
    public double AddKCount { get; set; } = 0.1;

    /// <summary>The absolute discount D of <see cref="LanguageModelSmoothing.KneserNey"/>, in (0, 1]. Default: 0.75.</summary>
    public double Discount { get; set; } = 0.75;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and gives the
    /// expected and actual values.</exception>
    public void Validate()
    {
        Arguments.Range(Order, 1, 16, nameof(Order));
        Arguments.Defined(Smoothing, nameof(Smoothing));
        Arguments.Positive(AddKCount, nameof(AddKCount));
        if (!(Discount > 0 && Discount <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Discount), Discount, $"{nameof(Discount)} must be in (0, 1]; got {Discount}.");
        }
    }

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public CharacterLanguageModelOptions Clone() => (CharacterLanguageModelOptions)MemberwiseClone();
}
