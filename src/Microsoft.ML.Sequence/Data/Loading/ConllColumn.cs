namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>A column a CoNLL loader produces: one text value per token, read from one field of each token line.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Field">Zero-based field index, or -1 for the last field of the line.</param>
public sealed record ConllColumn(string Name, int Field);
