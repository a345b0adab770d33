/// <summary>A training or validation row: one image and one of its captions.</summary>
internal sealed class CaptionRow
{
    public string ImagePath { get; set; } = "";

    public string Caption { get; set; } = "";
}

/// <summary>An evaluation row: one image and all its reference captions.</summary>
internal sealed class ReferenceRow
{
    public string ImagePath { get; set; } = "";

    public string[] References { get; set; } = [];
}

/// <summary>What the sample reads back from a scored view.</summary>
internal sealed class CaptionPrediction
{
    public string ImagePath { get; set; } = "";

    public string PredictedCaption { get; set; } = "";
}
