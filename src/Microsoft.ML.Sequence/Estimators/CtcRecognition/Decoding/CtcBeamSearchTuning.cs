namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>Chooses the language-model weight α and insertion bonus β of a prefix beam search by grid search on
/// validation lines (never the test set): the pair with the lowest character error rate, ties to the smaller α, then
/// the smaller β.</summary>
internal static class CtcBeamSearchTuning
{
    /// <summary>The default grid of α.</summary>
    public static readonly double[] Weights = [0, 0.25, 0.5, 0.75, 1, 1.5, 2];

    /// <summary>The default grid of β.</summary>
    public static readonly double[] Bonuses = [0, 0.5, 1, 1.5, 2, 3, 4];

    /// <summary>Decodes every validation line with every (α, β) pair.</summary>
    /// <param name="lines">Frame log-probabilities of each validation line.</param>
    /// <param name="references">The true text of each line.</param>
    /// <param name="alphabet">The recogniser's alphabet.</param>
    /// <param name="languageModel">The language model.</param>
    /// <param name="options">Beam width and pruning (α and β are replaced); not modified.</param>
    /// <param name="weights">α values; null for <see cref="Weights"/>.</param>
    /// <param name="bonuses">β values; null for <see cref="Bonuses"/>.</param>
    /// <returns>The best options and the CER of every pair, in grid order.</returns>
    public static (CtcBeamSearchOptions Best, IReadOnlyList<(double Weight, double Bonus, double CharacterErrorRate)> Grid) GridSearch(
        IReadOnlyList<float[]> lines, IReadOnlyList<string> references, string alphabet, CharacterLanguageModel languageModel,
        CtcBeamSearchOptions options, IReadOnlyList<double>? weights = null, IReadOnlyList<double>? bonuses = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(languageModel);
        ArgumentNullException.ThrowIfNull(options);
        if (lines.Count != references.Count || lines.Count == 0)
        {
            throw new ArgumentException($"Tuning needs one reference per line and at least one line; got {lines.Count} lines and {references.Count} references.",
                nameof(references));
        }

        var grid = new List<(double, double, double)>();
        CtcBeamSearchOptions? best = null;
        double bestRate = double.PositiveInfinity;
        foreach (double weight in weights ?? Weights)
        {
            foreach (double bonus in bonuses ?? Bonuses)
            {
                CtcBeamSearchOptions candidate = options.Clone();
                candidate.LanguageModelWeight = weight;
                candidate.InsertionBonus = bonus;
                var decoder = new CtcPrefixBeamDecoder(alphabet, candidate, languageModel);
                var counter = new RecognitionCounter();
                for (int i = 0; i < lines.Count; i++)
                {
                    counter.Add(references[i], decoder.Decode(lines[i])[0].Text);
                }

                double rate = counter.ToMetrics().CharacterErrorRate;
                grid.Add((weight, bonus, rate));
                if (rate < bestRate)
                {
                    bestRate = rate;
                    best = candidate;
                }
            }
        }

        return (best ?? throw new ArgumentException("The grids are empty.", nameof(weights)), grid);
    }
}
