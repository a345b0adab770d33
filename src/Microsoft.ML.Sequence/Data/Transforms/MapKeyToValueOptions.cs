namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Options of <see cref="MapKeyToValueTransform"/>.</summary>
public sealed class MapKeyToValueOptions
{
    /// <summary>Key (or key-vector) column to read; its type must carry a vocabulary. Default: "PredictedKeys".</summary>
    public string InputColumnName { get; set; } = "PredictedKeys";

    /// <summary>Text (or text-vector) column to write. Default: "PredictedValues".</summary>
    public string OutputColumnName { get; set; } = "PredictedValues";
}
