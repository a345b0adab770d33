namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Options of <see cref="MapValueToKeyEstimator"/>.</summary>
public sealed class MapValueToKeyOptions
{
    /// <summary>Column to read: Text or <c>Vector&lt;Text&gt;</c>. Default: "Tokens".</summary>
    public string InputColumnName { get; set; } = "Tokens";

    /// <summary>Column to write: a key (or vector of keys) carrying the vocabulary. Default: "TokenKeys".</summary>
    public string OutputColumnName { get; set; } = "TokenKeys";

    /// <summary>Largest number of ordinary values kept (the most frequent; ties go to the earlier first occurrence),
    /// special entries not counted; 0 keeps all. Default: 0.</summary>
    public int MaxVocabularySize { get; set; }

    /// <summary>Fewest occurrences a value needs to be kept, at least 1. Default: 1.</summary>
    public int MinCount { get; set; } = 1;

    /// <summary>Key order of the ordinary values. Default: <see cref="KeyOrdering.ByOccurrence"/>.</summary>
    public KeyOrdering Ordering { get; set; } = KeyOrdering.ByOccurrence;

    /// <summary>Special entries of the vocabulary. With <see cref="SpecialTokens.Unknown"/>, values outside the vocabulary
    /// map to UNK; without it, to 0 (missing, PAD). Use <see cref="SpecialTokens.None"/> for labels and tags.
    /// Default: <see cref="SpecialTokens.Unknown"/>.</summary>
    public SpecialTokens SpecialTokens { get; set; } = SpecialTokens.Unknown;

    internal MapValueToKeyOptions Validated()
    {
        ColumnRequirement.RequireName(InputColumnName, nameof(InputColumnName));
        ColumnRequirement.RequireName(OutputColumnName, nameof(OutputColumnName));
        if (MaxVocabularySize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxVocabularySize), MaxVocabularySize, "Expected 0 (no limit) or more.");
        }

        if (MinCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), MinCount, "Expected at least 1.");
        }

        if (!Enum.IsDefined(Ordering))
        {
            throw new ArgumentOutOfRangeException(nameof(Ordering), Ordering, "Unknown KeyOrdering.");
        }

        if ((SpecialTokens & ~(SpecialTokens.Pad | SpecialTokens.Unknown | SpecialTokens.Start | SpecialTokens.End | SpecialTokens.Blank)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SpecialTokens), SpecialTokens, "Unknown special-token flags.");
        }

        return new MapValueToKeyOptions
        {
            InputColumnName = InputColumnName,
            OutputColumnName = OutputColumnName,
            MaxVocabularySize = MaxVocabularySize,
            MinCount = MinCount,
            Ordering = Ordering,
            SpecialTokens = SpecialTokens,
        };
    }
}
