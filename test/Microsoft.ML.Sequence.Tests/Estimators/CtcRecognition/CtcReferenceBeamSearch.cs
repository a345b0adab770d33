using Microsoft.ML.Sequence.Estimators.CtcRecognition;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>The prefix beam search written the plain way (Hannun et al.'s pseudo-code: every extension of every prefix
/// into a dictionary by text, then the best W), to check that the decoder's shortcuts (trie, bounds, early breaks,
/// lazy LM) change no result.</summary>
internal static class CtcReferenceBeamSearch
{
    public static List<(string Text, double Score, double Ctc)> Decode(float[] scores, string alphabet, CtcBeamSearchOptions options,
        CharacterLanguageModel? lm)
    {
        int classes = alphabet.Length + 1, frames = scores.Length / classes;
        double alpha = lm is null ? 0 : options.LanguageModelWeight, beta = options.InsertionBonus;
        var beam = new Dictionary<string, (double Blank, double NonBlank)> { [""] = (0, double.NegativeInfinity) };
        double Lm(string text) => lm is null ? 0 : Enumerable.Range(0, text.Length).Sum(i => lm.LogProbability(text.AsSpan(0, i), text[i]));
        for (int t = 0; t < frames; t++)
        {
            var frame = scores.AsSpan(t * classes, classes).ToArray();
            int best = 1;
            for (int c = 1; c < classes; c++)
            {
                best = frame[c] > frame[best] ? c : best;
            }

            var next = new Dictionary<string, (double Blank, double NonBlank)>();
            void Add(string text, double blank, double nonBlank)
            {
                var (b, n) = next.GetValueOrDefault(text, (double.NegativeInfinity, double.NegativeInfinity));
                next[text] = (LogAdd(b, blank), LogAdd(n, nonBlank));
            }

            foreach ((string text, (double pb, double pnb)) in beam)
            {
                double total = LogAdd(pb, pnb);
                Add(text, total + frame[0], double.NegativeInfinity);
                if (text.Length > 0)
                {
                    Add(text, double.NegativeInfinity, pnb + frame[alphabet.IndexOf(text[^1], StringComparison.Ordinal) + 1]);
                }

                for (int c = 1; c < classes; c++)
                {
                    if (frame[c] < options.CharacterPruningLogProbability && c != best)
                    {
                        continue;
                    }

                    bool repeat = text.Length > 0 && text[^1] == alphabet[c - 1];
                    Add(text + alphabet[c - 1], double.NegativeInfinity, (repeat ? pb : total) + frame[c]);
                }
            }

            beam = next.Select(p => (p.Key, p.Value, Score: LogAdd(p.Value.Blank, p.Value.NonBlank) + alpha * Lm(p.Key) + beta * p.Key.Length))
                .Where(p => !double.IsNegativeInfinity(p.Score))
                .OrderByDescending(p => p.Score).Take(options.BeamWidth)
                .ToDictionary(p => p.Key, p => p.Value);
        }

        return beam.Select(p =>
            {
                double ctc = LogAdd(p.Value.Blank, p.Value.NonBlank);
                double lmScore = lm is null ? 0 : lm.LineLogProbability(p.Key);
                return (p.Key, ctc + alpha * lmScore + beta * p.Key.Length, ctc);
            })
            .OrderByDescending(h => h.Item2).Take(options.HypothesisCount).ToList();
    }

    private static double LogAdd(double a, double b) =>
        double.IsNegativeInfinity(a) ? b : double.IsNegativeInfinity(b) ? a : Math.Max(a, b) + Math.Log(1 + Math.Exp(-Math.Abs(a - b)));
}
