namespace Microsoft.ML.Sequence.Modules.Crf;

/// <summary>CPU copies of a CRF's scores with −∞ where the constraints forbid, for decoding and marginals.</summary>
internal sealed class CrfTables
{
    private readonly double[] _emissions;
    private readonly int _steps;

    public CrfTables(double[] emissions, int steps, int tagCount, double[] transitions, double[] start, double[] end,
        CrfConstraints constraints)
    {
        _emissions = emissions;
        _steps = steps;
        TagCount = tagCount;
        Transitions = transitions;
        Start = start;
        End = end;
        for (int i = 0; i < tagCount; i++)
        {
            if (!constraints.IsAllowedStart(i)) Start[i] = double.NegativeInfinity;
            if (!constraints.IsAllowedEnd(i)) End[i] = double.NegativeInfinity;
            for (int j = 0; j < tagCount; j++)
            {
                if (!constraints.IsAllowed(i, j)) Transitions[i * tagCount + j] = double.NegativeInfinity;
            }
        }
    }

    public int TagCount { get; }

    /// <summary>[K × K] row-major, row = previous tag.</summary>
    public double[] Transitions { get; }

    public double[] Start { get; }

    public double[] End { get; }

    public double Emission(int row, int step, int tag) => _emissions[((long)row * _steps + step) * TagCount + tag];

    public double Transition(int from, int to) => Transitions[from * TagCount + to];
}
