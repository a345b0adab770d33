namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Learns a <see cref="Vocabulary"/> from a text (or text-vector) column and maps values to keys.</summary>
/// <remarks>
/// Key <c>k</c> is embedding row <c>k</c> and row 0 is PAD. Special entries come first (see <see cref="SpecialTokens"/>),
/// then the kept values in <see cref="MapValueToKeyOptions.Ordering"/>. At transform time a value outside the vocabulary
/// maps to UNK when the vocabulary has one, otherwise to 0 (missing); trainers treat 0 as PAD.
/// </remarks>
public sealed class MapValueToKeyEstimator : ISequenceEstimator<MapValueToKeyTransformer>
{
    private readonly MapValueToKeyOptions _options;

    /// <summary>Creates the estimator.</summary>
    /// <param name="options">Columns and vocabulary limits; validated and copied.</param>
    public MapValueToKeyEstimator(MapValueToKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
    }

    /// <summary>Counts the values of the input column and builds the vocabulary.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>The transformer holding the vocabulary.</returns>
    public MapValueToKeyTransformer Fit(ISequenceDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        int source = input.Schema.IndexOf(_options.InputColumnName);
        bool isVector = input.Schema[source].Type is VectorColumnType;
        var counts = new Dictionary<string, (long Count, long First)>(StringComparer.Ordinal);
        long seen = 0;
        using (DataCursor cursor = input.GetCursor())
        {
            while (cursor.MoveNext())
            {
                if (isVector)
                {
                    foreach (string value in cursor.GetValue<string[]>(source))
                    {
                        Count(value);
                    }
                }
                else
                {
                    Count(cursor.GetValue<string>(source));
                }
            }
        }

        IEnumerable<KeyValuePair<string, (long Count, long First)>> kept = counts.Where(p => p.Value.Count >= _options.MinCount);
        if (_options.MaxVocabularySize > 0)
        {
            kept = kept.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Value.First).Take(_options.MaxVocabularySize);
        }

        IEnumerable<string> values = _options.Ordering == KeyOrdering.ByValue
            ? kept.Select(p => p.Key).Order(StringComparer.Ordinal)
            : kept.OrderBy(p => p.Value.First).Select(p => p.Key);
        return new MapValueToKeyTransformer(_options, new Vocabulary(values, _options.SpecialTokens));

        void Count(string value)
        {
            if (IsReserved(value))
            {
                return;
            }

            counts[value] = counts.TryGetValue(value, out var c) ? (c.Count + 1, c.First) : (1, seen);
            seen++;
        }
    }

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) =>
        MapValueToKeyTransformer.OutputSchema(inputSchema, _options, KeyColumnType.Unknown);

    private bool IsReserved(string value) =>
        (_options.SpecialTokens.HasFlag(SpecialTokens.Pad) && value == Vocabulary.PadToken) ||
        (_options.SpecialTokens.HasFlag(SpecialTokens.Unknown) && value == Vocabulary.UnknownToken) ||
        (_options.SpecialTokens.HasFlag(SpecialTokens.Start) && value == Vocabulary.StartToken) ||
        (_options.SpecialTokens.HasFlag(SpecialTokens.End) && value == Vocabulary.EndToken) ||
        (_options.SpecialTokens.HasFlag(SpecialTokens.Blank) && value == Vocabulary.BlankToken);
}
