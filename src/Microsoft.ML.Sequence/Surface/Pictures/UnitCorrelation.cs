namespace Microsoft.ML.Sequence.Pictures;

/// <summary>How closely one hidden unit follows a per-position pattern.</summary>
/// <param name="Unit">The unit's index in <see cref="HiddenUnitActivations"/> (forward units first, then backward).</param>
/// <param name="Correlation">Pearson correlation between the unit's activation and the pattern over the positions, in
/// [−1, 1]; a large magnitude of either sign means the unit tracks the pattern (0 when either is constant).</param>
public sealed record UnitCorrelation(int Unit, double Correlation);
