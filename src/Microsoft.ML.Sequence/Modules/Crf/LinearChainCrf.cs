using Microsoft.ML.Sequence.Modules.Attention;
using Microsoft.ML.Sequence.Modules.Pooling;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

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
/// ops (differentiable, on the emissions' device); Viterbi decoding and marginals run on the CPU in double precision.
/// As a TorchSharp module its <c>forward(emissions, tags, lengths)</c> is <see cref="LogLikelihood"/>.</para>
/// </remarks>
public sealed class LinearChainCrf : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "transitions")]
    private Parameter _transitions;

    [ComponentName(Name = "start_transitions")]
    private Parameter _start;

    [ComponentName(Name = "end_transitions")]
    private Parameter _end;

    /// <summary>Creates the layer.</summary>
    /// <param name="tagCount">Number of tags K.</param>
    /// <param name="constraints">Allowed transitions; null allows everything.</param>
    /// <param name="generator">Source of the initial weights; null uses libtorch's global generator.</param>
    public LinearChainCrf(int tagCount, CrfConstraints? constraints = null, Generator? generator = null)
        : base(nameof(LinearChainCrf))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagCount, 1);
        Constraints = constraints ?? CrfConstraints.None(tagCount);
        if (Constraints.TagCount != tagCount)
        {
            throw new ArgumentException($"Constraints are for {Constraints.TagCount} tags, the layer has {tagCount}.", nameof(constraints));
        }

        TagCount = tagCount;
        _transitions = AttentionMath.NewParameter(Initialization.Uniform([tagCount, tagCount], 0.1, generator));
        _start = AttentionMath.NewParameter(Initialization.Uniform([tagCount], 0.1, generator));
        _end = AttentionMath.NewParameter(Initialization.Uniform([tagCount], 0.1, generator));
        register_parameter("transitions", _transitions);
        register_parameter("start_transitions", _start);
        register_parameter("end_transitions", _end);
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
    public Tensor LogLikelihood(Tensor emissions, Tensor tags, Tensor lengths) => call(emissions, tags, lengths);

    /// <inheritdoc cref="LogLikelihood"/>
    public override Tensor forward(Tensor emissions, Tensor tags, Tensor lengths)
    {
        long[] lengthValues = CheckInputs(emissions, lengths);
        CheckGoldTags(tags, lengthValues, emissions.shape[1]);
        using var scope = torch.NewDisposeScope();
        return (GoldScore(emissions, tags, lengths) - LogPartition(emissions, lengths)).MoveToOuterDisposeScope();
    }

    /// <summary>log Z per row: the log-sum-exp of the scores of every allowed tag sequence (forward algorithm).</summary>
    /// <param name="emissions">[B, T, K].</param>
    /// <param name="lengths">int64 [B].</param>
    /// <returns>[B].</returns>
    public Tensor LogPartition(Tensor emissions, Tensor lengths)
    {
        CheckInputs(emissions, lengths);
        using var scope = torch.NewDisposeScope();
        (Tensor transitions, Tensor start, Tensor end) = ConstrainedScores(emissions);
        Tensor valid = SequenceMask.FromLengths(lengths, emissions.shape[1]);
        Tensor alpha = start + emissions.select(1, 0);                                           // [B, K]
        Tensor stepTransitions = transitions.unsqueeze(0);                                       // [1, K, K]
        for (long t = 1; t < emissions.shape[1]; t++)
        {
            Tensor next = (alpha.unsqueeze(2) + stepTransitions).logsumexp(dim: 1) + emissions.select(1, t);
            alpha = torch.where(valid.select(1, t).unsqueeze(1), next, alpha);
        }

        return (alpha + end).logsumexp(dim: 1).MoveToOuterDisposeScope();
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
        int steps = (int)emissions.shape[1];
        var result = new float[lengthValues.Length * steps * TagCount];
        for (int row = 0; row < lengthValues.Length; row++)
        {
            CrfAlgorithms.Marginals(tables, row, (int)lengthValues[row], result.AsSpan(row * steps * TagCount, steps * TagCount));
        }

        return torch.tensor(result, [lengthValues.Length, steps, TagCount]);
    }

    private Tensor GoldScore(Tensor emissions, Tensor tags, Tensor lengths)
    {
        using var scope = torch.NewDisposeScope();
        long batch = emissions.shape[0], steps = emissions.shape[1];
        Tensor valid = SequenceMask.FromLengths(lengths, steps).to(emissions.dtype);
        Tensor emitted = (emissions.gather(2, tags.unsqueeze(2)).squeeze(2) * valid).sum(dim: 1);
        Tensor score = emitted + _start.to(emissions.dtype).index_select(0, tags.select(1, 0));
        if (steps > 1)
        {
            // Raw parameters, not the constrained ones: gold paths were checked, and −∞ · 0 at padding would be NaN.
            Tensor pairIndex = tags.narrow(1, 0, steps - 1) * TagCount + tags.narrow(1, 1, steps - 1);
            Tensor paired = _transitions.to(emissions.dtype).reshape(-1).index_select(0, pairIndex.reshape(-1)).view(batch, steps - 1);
            score = score + (paired * valid.narrow(1, 1, steps - 1)).sum(dim: 1);
        }

        Tensor lastTags = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1);
        return (score + _end.to(emissions.dtype).index_select(0, lastTags)).MoveToOuterDisposeScope();
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

        Device device = like.device;
        ScalarType dtype = like.dtype;
        return (_transitions.to(dtype) + torch.tensor(transitionMask, [TagCount, TagCount], device: device).to(dtype),
            _start.to(dtype) + torch.tensor(startMask, [TagCount], device: device).to(dtype),
            _end.to(dtype) + torch.tensor(endMask, [TagCount], device: device).to(dtype));
    }

    private CrfTables ReadTables(Tensor emissions)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return new CrfTables(
            TensorValues.ToArray<double>(emissions.to(ScalarType.Float64)), (int)emissions.shape[1], TagCount,
            TensorValues.ToArray<double>(_transitions.to(ScalarType.Float64)),
            TensorValues.ToArray<double>(_start.to(ScalarType.Float64)),
            TensorValues.ToArray<double>(_end.to(ScalarType.Float64)), Constraints);
    }

    private long[] CheckInputs(Tensor emissions, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(emissions);
        if (emissions.dim() != 3 || emissions.shape[2] != TagCount)
        {
            throw new ArgumentException($"Emissions must be [batch, steps, {TagCount}]; got {emissions}.", nameof(emissions));
        }

        return SequenceMask.Validate(lengths, emissions.shape[0], emissions.shape[1]);
    }

    private void CheckGoldTags(Tensor tags, long[] lengths, long steps)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.dtype != ScalarType.Int64 || tags.dim() != 2 || tags.shape[0] != lengths.Length || tags.shape[1] != steps)
        {
            throw new ArgumentException($"Tags must be int64 [{lengths.Length}, {steps}]; got {tags}.", nameof(tags));
        }

        long[] values = TensorValues.ToArray<long>(tags);
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
