/// <summary>An espeak-ng voice: a language/accent and an optional variant (<c>+m3</c>, <c>+klatt2</c>, …), as <c>-v</c> takes it.</summary>
/// <param name="Language">The espeak-ng voice name, e.g. <c>en-gb-scotland</c>.</param>
/// <param name="Variant">The variant, e.g. <c>f2</c>, or null for the voice's own.</param>
/// <remarks>Three disjoint voice sets: training (5 accents × 24 variants), validation (an accent and variants training
/// never uses; it picks the epoch, so the choice rewards what carries over to new voices) and held-out (another two
/// accents and variants in neither of the others; scored once, at the end).</remarks>
internal sealed record SpeechVoice(string Language, string? Variant)
{
    /// <summary>The accents training uses (espeak-ng's own English voices, no MBROLA). British English is "en": espeak-ng
    /// 1.51 ignores a variant after "en-gb" (en-gb+m1 sounds exactly like en), which the corpus's voice check catches.</summary>
    public static readonly string[] TrainingLanguages = ["en-us", "en", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd"];

    /// <summary>The variants training uses (null: each accent's own voice).</summary>
    public static readonly string?[] TrainingVariants =
    [
        null, "m1", "m2", "m3", "m4", "f1", "f2", "f3", "klatt", "klatt2", "klatt4", "Andy", "belinda", "david", "john", "paul",
        "edward", "grandpa", "steph", "quincy", "rob", "shelby", "travis", "victor",
    ];

    /// <summary>Voices for the validation split: an accent and variants that no training voice has.</summary>
    public static readonly SpeechVoice[] Validation = [new("en-gb-x-rp", "m5"), new("en-gb-x-rp", "m8"), new("en-gb-x-rp", "aunty"), new("en-gb-x-rp", "norbert")];

    /// <summary>Voices no other split has: accents and variants in neither training nor validation.</summary>
    public static readonly SpeechVoice[] HeldOut = [new("en-029", "m7"), new("en-029", "f4"), new("en-us-nyc", "m6"), new("en-us-nyc", "f5")];

    /// <summary>Every training voice: each training accent with each training variant.</summary>
    public static SpeechVoice[] Training() =>
        TrainingLanguages.SelectMany(language => TrainingVariants.Select(variant => new SpeechVoice(language, variant))).ToArray();

    /// <summary>The <c>-v</c> argument of espeak-ng.</summary>
    public string Name => Variant is null ? Language : $"{Language}+{Variant}";
}
