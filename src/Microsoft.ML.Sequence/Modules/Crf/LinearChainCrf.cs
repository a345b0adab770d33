using Microsoft.ML.Sequence.Modules.Pooling;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules.Crf;

/// <summary>
/// Linear-chain conditional random field over per-token tag scores:
/// score(x, y) = start[y₀] + Σ_t emissions[t, y_t] + Σ_t transitions[y_{t−1}, y_t] + end[y_last],
/// p(y | x) = exp(score) / Z with Z summed over every tag sequence by the forward algorithm.
/// </summary>
/// <remarks>
/// <para>Parameters: <c>transitions</c> [K, K] (row = previous tag, column = next tag), <c>start_transitions</c> [K],
/// <c>end_transitions</c> [K], initialised U(−0.1, 0.1). Transitions forbidden by <see cref="Constraints"/> score −∞
/// in Z, in decoding and in the marginals, whatever the parameter holds.</para>
/// <para>Emissions are batch-first [B, T, K]; lengths are int64 [B] in [1, T]. The likelihood is computed with tensor
/// ops (differentiable, on the emissions' device); Viterbi decoding and marginals run on the CPU in double precision.</para>
/// </remarks>
public sealed class LinearChainCrf : Module
{
    private readonly ModuleParameter _transitions, _start, _end;

    /// <summary>Creates the layer.</summary>
    /// <param name="tagCount">Number of tags K.</param>
    /// <param name="constraints">Allowed transitions; null allows everything.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public LinearChainCrf(int tagCount, CrfConstraints? constraints = null, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagCount, 1);
        Constraints = constraints ?? CrfConstraints.None(tagCount);
        if (Constraints.TagCount != tagCount)
        {
            throw new ArgumentException($"Constraints are for {Constraints.TagCount} tags, the layer has {tagCount}.", nameof(constraints));
        }

        TagCount = tagCount;
        using var scope = TensorScope.Begin();
        _transitions = RegisterParameter("transitions", Tensor.Rand([tagCount, tagCount], generator) * 0.2 - 0.1);
        _start = RegisterParameter("start_transitions", Tensor.Rand([tagCount], generator) * 0.2 - 0.1);
        _end = RegisterParameter("end_transitions", Tensor.Rand([tagCount], generator) * 0.2 - 0.1);
    }

    /// <summary>Number of tags K.</summary>
    public int TagCount { get; }

    /// <summary>The transition constraints.</summary>
    public CrfConstraints Constraints { get; }

    /// <summary>log p(tags | emissions) per row.</summary>
    /// <param name="emissions">[B, T, K] tag scores.</param>
    /// <param name="tags">int64 [B, T] gold tags (values past a row's length are ignored).</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B] log-likelihoods; the training loss is usually their negated mean.</returns>
    /// <exception cref="ArgumentException">A gold sequence uses a forbidden transition (row and step named).</exception>
    public Tensor LogLikelihood(Tensor emissions, Tensor tags, Tensor lengths)
    {
        long[] lengthValues = CheckInputs(emissions, lengths);
        CheckGoldTags(tags, lengthValues, emissions.Size(1));
        using var scope = TensorScope.Begin();
        return scope.MoveToOuter(GoldScore(emissions, tags, lengths) - LogPartition(emissions, lengths));
    }

    /// <summary>log Z per row: the log-sum-exp of the scores of every allowed tag sequence (forward algorithm).</summary>
    /// <param name="emissions">[B, T, K].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B].</returns>
    public Tensor LogPartition(Tensor emissions, Tensor lengths)
    {
        CheckInputs(emissions, lengths);
        using var scope = TensorScope.Begin();
        (Tensor transitions, Tensor start, Tensor end) = ConstrainedScores(emissions);
        Tensor valid = SequenceMask.FromLengths(lengths, emissions.Size(1));
        Tensor alpha = start + emissions.Select(1, 0);                                           // [B, K]
        Tensor stepTransitions = transitions.Unsqueeze(0);                                       // [1, K, K]
        for (long t = 1; t < emissions.Size(1); t++)
        {
            Tensor next = (alpha.Unsqueeze(2) + stepTransitions).LogSumExp([1]) + emissions.Select(1, t);
            alpha = Tensor.Where(valid.Select(1, t).Unsqueeze(1), next, alpha);
        }

        return scope.MoveToOuter((alpha + end).LogSumExp([1]));
    }

    /// <summary>The highest-scoring allowed tag sequence of each row (Viterbi).</summary>
    /// <param name="emissions">[B, T, K].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>One tag array per row, of that row's length.</returns>
    public IReadOnlyList<long[]> Decode(Tensor emissions, Tensor lengths)
    {
        long[] lengthValues = CheckInputs(emissions, lengths);
        CrfTables tables = ReadTables(emissions);
        return Enumerable.Range(0, lengthValues.Length)
            .Select(row => CrfAlgorithms.Viterbi(tables, row, (int)lengthValues[row]))
            .ToArray();
    }

    /// <summary>p(y_t = k | x) for every row, step and tag (forward–backward); 0 past each row's length.</summary>
    /// <param name="emissions">[B, T, K].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>A float32 [B, T, K] tensor on the CPU whose rows sum to 1 over K at valid steps.</returns>
    public Tensor Marginals(Tensor emissions, Tensor lengths)
    {
        long[] lengthValues = CheckInputs(emissions, lengths);
        CrfTables tables = ReadTables(emissions);
        int steps = (int)emissions.Size(1);
        var result = new float[lengthValues.Length * steps * TagCount];
        for (int row = 0; row < lengthValues.Length; row++)
        {
            CrfAlgorithms.Marginals(tables, row, (int)lengthValues[row], result.AsSpan(row * steps * TagCount, steps * TagCount));
        }

        return Tensor.From<float>(result, [lengthValues.Length, steps, TagCount]);
    }

    private Tensor GoldScore(Tensor emissions, Tensor tags, Tensor lengths)
    {
        using var scope = TensorScope.Begin();
        long batch = emissions.Size(0), steps = emissions.Size(1);
        Tensor valid = SequenceMask.FromLengths(lengths, steps).To(emissions.DType);
        Tensor emitted = (emissions.Gather(2, tags.Unsqueeze(2)).Squeeze(2) * valid).Sum([1]);
        Tensor score = emitted + _start.Value.IndexSelect(0, tags.Select(1, 0));
        if (steps > 1)
        {
            // Raw parameters, not the constrained ones: gold paths were checked, and −∞ · 0 at padding would be NaN.
            Tensor pairIndex = tags.Narrow(1, 0, steps - 1) * TagCount + tags.Narrow(1, 1, steps - 1);
            Tensor paired = _transitions.Value.Reshape(-1).IndexSelect(0, pairIndex.Reshape(-1)).View(batch, steps - 1);
            score = score + (paired * valid.Narrow(1, 1, steps - 1)).Sum([1]);
        }

        Tensor lastTags = tags.Gather(1, (lengths - 1).Unsqueeze(1)).Squeeze(1);
        return scope.MoveToOuter(score + _end.Value.IndexSelect(0, lastTags));
    }

    private (Tensor Transitions, Tensor Start, Tensor End) ConstrainedScores(Tensor like)
    {
        var transitionMask = new float[TagCount * TagCount];
        var startMask = new float[TagCount];
        var endMask = new float[TagCount];
        for (int i = 0; i < TagCount; i++)
        {
            startMask[i] = Constraints.IsAllowedStart(i) ? 0 : float.NegativeInfinity;
            endMask[i] = Constraints.IsAllowedEnd(i) ? 0 : float.NegativeInfinity;
            for (int j = 0; j < TagCount; j++)
            {
                transitionMask[i * TagCount + j] = Constraints.IsAllowed(i, j) ? 0 : float.NegativeInfinity;
            }
        }

        Device device = like.Device;
        DType dtype = like.DType;
        return (_transitions.Value.To(dtype) + Tensor.From<float>(transitionMask, [TagCount, TagCount], device).To(dtype),
            _start.Value.To(dtype) + Tensor.From<float>(startMask, [TagCount], device).To(dtype),
            _end.Value.To(dtype) + Tensor.From<float>(endMask, [TagCount], device).To(dtype));
    }

    private CrfTables ReadTables(Tensor emissions)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGradScope.Begin();
        return new CrfTables(
            emissions.To(Device.Cpu).To(DType.Float64).ToArray<double>(), (int)emissions.Size(1), TagCount,
            _transitions.Value.To(Device.Cpu).To(DType.Float64).ToArray<double>(),
            _start.Value.To(Device.Cpu).To(DType.Float64).ToArray<double>(),
            _end.Value.To(Device.Cpu).To(DType.Float64).ToArray<double>(), Constraints);
    }

    private long[] CheckInputs(Tensor emissions, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(emissions);
        if (emissions.Rank != 3 || emissions.Size(2) != TagCount)
        {
            throw new ArgumentException($"Emissions must be [batch, steps, {TagCount}]; got {emissions}.", nameof(emissions));
        }

        return SequenceMask.Validate(lengths, emissions.Size(0), emissions.Size(1));
    }

    private void CheckGoldTags(Tensor tags, long[] lengths, long steps)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.DType != DType.Int64 || tags.Rank != 2 || tags.Size(0) != lengths.Length || tags.Size(1) != steps)
        {
            throw new ArgumentException($"Tags must be int64 [{lengths.Length}, {steps}]; got {tags}.", nameof(tags));
        }

        long[] values = tags.ToArray<long>();
        for (int row = 0; row < lengths.Length; row++)
        {
            for (int t = 0; t < lengths[row]; t++)
            {
                long tag = values[row * steps + t];
                if (tag < 0 || tag >= TagCount)
                {
                    throw new ArgumentException($"Row {row}, step {t}: tag {tag} is outside [0, {TagCount}).", nameof(tags));
                }

                bool allowed = t == 0 ? Constraints.IsAllowedStart((int)tag) : Constraints.IsAllowed((int)values[row * steps + t - 1], (int)tag);
                allowed &= t != lengths[row] - 1 || Constraints.IsAllowedEnd((int)tag);
                if (!allowed)
                {
                    throw new ArgumentException(
                        $"Row {row}, step {t}: the gold tag sequence uses a transition the constraints forbid (tag {tag}).", nameof(tags));
                }
            }
        }
    }
}
