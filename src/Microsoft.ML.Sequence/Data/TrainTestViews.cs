namespace Microsoft.ML.Sequence.Data;

/// <summary>The two parts of a train/test split.</summary>
/// <param name="TrainSet">Rows for training.</param>
/// <param name="TestSet">Rows held out for testing.</param>
public sealed record TrainTestViews(ISequenceDataView TrainSet, ISequenceDataView TestSet);
