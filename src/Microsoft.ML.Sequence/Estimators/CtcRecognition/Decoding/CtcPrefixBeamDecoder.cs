namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>CTC prefix beam search (Hannun et al. 2014, "First-pass large vocabulary continuous speech recognition
/// using bi-directional recurrent DNNs"), optionally with a <see cref="CharacterLanguageModel"/>: looks for the
/// labelling with the best score log P_ctc + α · log P_lm + β · |labelling|, where P_ctc sums over every frame
/// alignment that collapses to the labelling.</summary>
/// <remarks>
/// <para>Frame scores are one row-major span of <c>frames × classes</c> log-probabilities (a log-softmax output for one
/// line); class 0 is the blank and class k ≥ 1 character <c>alphabet[k - 1]</c>.</para>
/// <para>Each prefix carries two probabilities, of the alignments so far that end in a blank and of those that end in
/// its last character; after each frame the <see cref="CtcBeamSearchOptions.BeamWidth"/> prefixes with the best score
/// are kept. All arithmetic is in log space (no underflow on long inputs). The language model scores each character
/// when it is appended, and the end of line when the final hypotheses are ranked. With a beam wide enough to keep every
/// prefix, no pruning and no language model, each hypothesis's <see cref="CtcHypothesis.CtcLogProbability"/> is the
/// exact CTC log-probability of its labelling (−CTC loss).</para>
/// <para>The decoder holds no per-call state: one instance can decode on any number of threads at once.</para>
/// </remarks>
public sealed class CtcPrefixBeamDecoder
{
    private readonly CtcBeamSearchOptions _options;
    private readonly int[]? _languageModelSymbols;

    /// <summary>Creates a decoder.</summary>
    /// <param name="alphabet">Character of class k at index k - 1.</param>
    /// <param name="options">Beam width, hypothesis count, α, β and pruning; null for the defaults. Copied.</param>
    /// <param name="languageModel">A character language model, or null to decode on the CTC scores alone.</param>
    /// <exception cref="ArgumentNullException"><paramref name="alphabet"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CtcPrefixBeamDecoder(string alphabet, CtcBeamSearchOptions? options = null, CharacterLanguageModel? languageModel = null)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        _options = options?.Clone() ?? new CtcBeamSearchOptions();
        _options.Validate();
        Alphabet = alphabet;
        LanguageModel = languageModel;
        if (languageModel is not null)
        {
            _languageModelSymbols = new int[alphabet.Length + 1];
            for (int k = 1; k <= alphabet.Length; k++)
            {
                _languageModelSymbols[k] = languageModel.SymbolOf(alphabet[k - 1]);
            }
        }
    }

    /// <summary>Character of class k at index k - 1.</summary>
    public string Alphabet { get; }

    /// <summary>The language model, or null.</summary>
    public CharacterLanguageModel? LanguageModel { get; }

    /// <summary>A copy of the options in use.</summary>
    public CtcBeamSearchOptions Options => _options.Clone();

    /// <summary>Decodes one line.</summary>
    /// <param name="logProbabilities">Frames × (<c>Alphabet.Length</c> + 1) log-probabilities, row-major; may be empty
    /// (no frames: the one hypothesis is the empty text).</param>
    /// <returns>Up to <see cref="CtcBeamSearchOptions.HypothesisCount"/> hypotheses, best score first (ties: higher CTC
    /// probability, then ordinal text order); never empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The span is not a whole number of frames.</exception>
    /// <exception cref="ArgumentException">A score is NaN, or a frame leaves no prefix with a non-zero probability.</exception>
    public IReadOnlyList<CtcHypothesis> Decode(ReadOnlySpan<float> logProbabilities)
    {
        int classes = Alphabet.Length + 1;
        int frames = CtcFrames.Count(logProbabilities, classes, nameof(logProbabilities));
        double alpha = LanguageModel is null ? 0 : _options.LanguageModelWeight;
        double beta = _options.InsertionBonus;
        int width = _options.BeamWidth;

        var root = new CtcPrefixNode();
        var beam = new List<Entry> { new(root, 0, double.NegativeInfinity) };
        var next = new List<Entry>(width);
        var touched = new List<CtcPrefixNode>();
        var extensions = new int[classes];
        var order = new float[classes];
        var allowed = new int[classes];
        var heap = new PriorityQueue<Candidate, double>(width + 1);
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> frame = logProbabilities.Slice(t * classes, classes);
            int stamp = t + 1;
            int count = SelectExtensions(frame, t, extensions, order);
            for (int i = 0; i < count; i++)
            {
                allowed[extensions[i]] = stamp;
            }

            touched.Clear();

            // Phase 1: every prefix that already exists as a node (the beam's prefixes and their children created in
            // earlier frames) sums all its ways into this frame before it is ranked.
            foreach (Entry entry in beam)
            {
                CtcPrefixNode node = entry.Node;
                double total = LogAdd(entry.Blank, entry.NonBlank);
                Touch(node, stamp, touched);
                node.NextBlank = LogAdd(node.NextBlank, total + frame[0]);
                if (node.Label > 0)
                {
                    // The last character repeated: merges into the same prefix (unless a blank separated them).
                    node.NextNonBlank = LogAdd(node.NextNonBlank, entry.NonBlank + frame[node.Label]);
                }

                foreach (CtcPrefixNode child in node.Children)
                {
                    int c = child.Label;
                    if (allowed[c] == stamp)
                    {
                        Touch(child, stamp, touched);
                        child.NextNonBlank = LogAdd(child.NextNonBlank, (c == node.Label ? entry.Blank : total) + frame[c]);
                    }
                }
            }

            heap.Clear();
            foreach (CtcPrefixNode node in touched)
            {
                double score = LogAdd(node.NextBlank, node.NextNonBlank) + alpha * node.LanguageModelLogProbability + beta * node.Length;
                Offer(heap, width, new Candidate(node, node, 0, node.NextBlank, node.NextNonBlank, node.LanguageModelLogProbability), score);
            }

            // Phase 2: new prefixes have exactly one way in (one parent, one frame), so each is final when made. The
            // extensions come best first, and a new prefix scores at most total + frame[c] + α · (its parent's LM
            // score + the parent's most probable next symbol) + β · length, so the first one under that bound that
            // cannot enter a full beam ends the parent's loop.
            foreach (Entry entry in beam)
            {
                CtcPrefixNode node = entry.Node;
                double total = LogAdd(entry.Blank, entry.NonBlank);
                double lengthBonus = beta * (node.Length + 1);
                if (count == 0 || (heap.Count == width && heap.TryPeek(out _, out double floor)
                    && total + frame[extensions[0]] + alpha * node.LanguageModelLogProbability + lengthBonus <= floor))
                {
                    // Not even the best extension could enter with a free language-model term: skip the prefix
                    // without computing its language-model distribution.
                    continue;
                }

                double[]? following = LanguageModel is null ? null : NextSymbolProbabilities(node);
                double rest = alpha * (node.LanguageModelLogProbability + (following is null ? 0 : node.NextSymbolMaxLogProbability)) + lengthBonus;
                for (int i = 0; i < count; i++)
                {
                    int c = extensions[i];
                    bool full = heap.Count == width;
                    double worst = full && heap.TryPeek(out _, out double w) ? w : double.NegativeInfinity;
                    if (full && total + frame[c] + rest <= worst)
                    {
                        break;
                    }

                    if (node.Child(c) is not null)
                    {
                        continue;
                    }

                    double ctc = (c == node.Label ? entry.Blank : total) + frame[c];
                    double lm = following is null ? 0 : node.LanguageModelLogProbability + Math.Log(following[_languageModelSymbols![c]]);
                    double score = ctc + alpha * lm + lengthBonus;
                    if (double.IsNegativeInfinity(ctc) || (full && score <= worst))
                    {
                        continue;
                    }

                    Offer(heap, width, new Candidate(null, node, c, double.NegativeInfinity, ctc, lm), score);
                }
            }

            next.Clear();
            while (heap.TryDequeue(out Candidate candidate, out _))
            {
                CtcPrefixNode node = candidate.Existing ?? new CtcPrefixNode(candidate.Parent, candidate.Label, candidate.LanguageModel);
                next.Add(new Entry(node, candidate.Blank, candidate.NonBlank));
            }

            // The heap gives the worst first; best first makes the next frame's phase 2 fill the beam with strong
            // candidates early, so the bound rejects the weak ones before the language model is asked about them.
            next.Reverse();
            if (next.Count == 0)
            {
                throw new ArgumentException(
                    $"Frame {t}: every prefix has probability 0 (all its log-probabilities are -∞?); pass log-softmax scores.",
                    nameof(logProbabilities));
            }

            (beam, next) = (next, beam);
        }

        return Finish(beam, alpha, beta);
    }

    private IReadOnlyList<CtcHypothesis> Finish(List<Entry> beam, double alpha, double beta)
    {
        var ranked = new List<(CtcHypothesis Hypothesis, double Score)>(beam.Count);
        foreach (Entry entry in beam)
        {
            CtcPrefixNode node = entry.Node;
            double ctc = LogAdd(entry.Blank, entry.NonBlank);
            double? lm = null;
            if (LanguageModel is not null)
            {
                lm = node.LanguageModelLogProbability + Math.Log(NextSymbolProbabilities(node)[0]);
            }

            double score = ctc + alpha * (lm ?? 0) + beta * node.Length;
            int[] labels = node.Labels();
            ranked.Add((new CtcHypothesis(CtcFrames.ToText(labels, Alphabet), labels, score, ctc, lm), score));
        }

        ranked.Sort((a, b) =>
        {
            int order = b.Score.CompareTo(a.Score);
            if (order == 0)
            {
                order = b.Hypothesis.CtcLogProbability.CompareTo(a.Hypothesis.CtcLogProbability);
            }

            return order != 0 ? order : string.CompareOrdinal(a.Hypothesis.Text, b.Hypothesis.Text);
        });
        return ranked.Take(_options.HypothesisCount).Select(r => r.Hypothesis).ToArray();
    }

    /// <summary>The characters tried as extensions in this frame, best first: those at or above the pruning threshold,
    /// and always the frame's best character.</summary>
    /// <returns>How many were written to <paramref name="extensions"/>.</returns>
    private int SelectExtensions(ReadOnlySpan<float> frame, int t, int[] extensions, float[] order)
    {
        double threshold = _options.CharacterPruningLogProbability;
        int best = -1, count = 0;
        for (int c = 0; c < frame.Length; c++)
        {
            if (float.IsNaN(frame[c]))
            {
                throw new ArgumentException($"Frame {t}, class {c}: the log-probability is NaN.", "logProbabilities");
            }
        }

        for (int c = 1; c < frame.Length; c++)
        {
            float score = frame[c];
            if (score >= threshold)
            {
                extensions[count] = c;
                order[count++] = -score;
            }

            if (best < 0 || score > frame[best])
            {
                best = c;
            }
        }

        if (best > 0 && frame[best] < threshold)
        {
            extensions[count] = best;
            order[count++] = -frame[best];
        }

        Array.Sort(order, extensions, 0, count);
        return count;
    }

    private double[] NextSymbolProbabilities(CtcPrefixNode node)
    {
        if (node.NextSymbolProbabilities is { } cached)
        {
            return cached;
        }

        CharacterLanguageModel model = LanguageModel!;
        var probabilities = new double[model.VocabularySize];
        // The history as the model's symbols, straight from the labels (start symbols before the first).
        Span<char> context = stackalloc char[model.Order - 1];
        CtcPrefixNode? at = node;
        for (int i = context.Length - 1; i >= 0; i--)
        {
            context[i] = at is { Label: > 0 } ? (char)_languageModelSymbols![at.Label] : (char)0;
            at = at?.Parent;
        }

        model.Distribution(model.SymbolContexts(context), probabilities);
        node.NextSymbolProbabilities = probabilities;
        double largest = 0;
        foreach (double p in probabilities)
        {
            largest = Math.Max(largest, p);
        }

        node.NextSymbolMaxLogProbability = Math.Log(largest);
        return probabilities;
    }

    private static void Touch(CtcPrefixNode node, int stamp, List<CtcPrefixNode> touched)
    {
        if (node.Stamp != stamp)
        {
            node.Stamp = stamp;
            node.NextBlank = double.NegativeInfinity;
            node.NextNonBlank = double.NegativeInfinity;
            touched.Add(node);
        }
    }

    /// <summary>Keeps the <paramref name="width"/> best candidates in a min-heap (its root is the worst kept).</summary>
    private static void Offer(PriorityQueue<Candidate, double> heap, int width, Candidate candidate, double score)
    {
        if (double.IsNegativeInfinity(score))
        {
            return;
        }

        if (heap.Count < width)
        {
            heap.Enqueue(candidate, score);
        }
        else if (heap.TryPeek(out _, out double worst) && score > worst)
        {
            heap.EnqueueDequeue(candidate, score);
        }
    }

    /// <summary>log(e^a + e^b) without overflow or underflow.</summary>
    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    /// <summary>A prefix in the beam and its two log-probabilities after the frame just processed.</summary>
    private readonly record struct Entry(CtcPrefixNode Node, double Blank, double NonBlank);

    /// <summary>A prefix competing for the next beam: an existing node, or a new child (<see cref="Parent"/> +
    /// <see cref="Label"/>) made only if it is kept.</summary>
    private readonly record struct Candidate(CtcPrefixNode? Existing, CtcPrefixNode Parent, int Label, double Blank, double NonBlank,
        double LanguageModel);
}
