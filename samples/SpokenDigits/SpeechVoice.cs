/// <summary>An espeak-ng voice: a language/accent and an optional variant (<c>+m3</c>, <c>+f2</c>, …), as <c>-v</c> takes it.</summary>
/// <param name="Language">The espeak-ng voice name, e.g. <c>en-gb-scotland</c>.</param>
/// <param name="Variant">The variant, e.g. <c>f2</c>, or null for the voice's own.</param>
internal sealed record SpeechVoice(string Language, string? Variant)
{
    /// <summary>The accents training uses (espeak-ng's own English voices, no MBROLA).</summary>
    public static readonly string[] TrainingLanguages = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd"];

    /// <summary>The variants training uses (plus each accent's own voice).</summary>
    public static readonly string?[] TrainingVariants = [null, "m1", "m2", "m3", "m4", "f1", "f2", "f3"];

    /// <summary>Voices training never hears: accents and variants that are in no training voice.</summary>
    public static readonly SpeechVoice[] HeldOut = [new("en-029", "m7"), new("en-029", "f4"), new("en-us-nyc", "m6"), new("en-us-nyc", "f5")];

    /// <summary>Every training voice: each training accent with each training variant.</summary>
    public static SpeechVoice[] Training() =>
        TrainingLanguages.SelectMany(language => TrainingVariants.Select(variant => new SpeechVoice(language, variant))).ToArray();

    /// <summary>The <c>-v</c> argument of espeak-ng.</summary>
    public string Name => Variant is null ? Language : $"{Language}+{Variant}";
}
