namespace Microsoft.ML.Sequence.Torch;

/// <summary>How a loss combines per-element values.</summary>
public enum LossReduction
{
    /// <summary>No reduction: one loss per element.</summary>
    None = 0,

    /// <summary>Mean (weighted mean when class weights are given).</summary>
    Mean = 1,

    /// <summary>Sum.</summary>
    Sum = 2,
}
