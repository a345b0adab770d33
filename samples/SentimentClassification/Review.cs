using Microsoft.ML.Sequence.Data;

namespace SentimentClassification;

/// <summary>A labelled sentence: SST-2 (<c>label TAB sentence</c>, with a header) or UCI (<c>sentence TAB label</c>).</summary>
public sealed class Review
{
    /// <summary>The sentence.</summary>
    public string Text { get; set; } = "";

    /// <summary>True for positive.</summary>
    public bool Label { get; set; }
}

/// <summary>The UCI file layout: sentence first, label second, no header.</summary>
public sealed class UciReview
{
    /// <summary>The sentence.</summary>
    [SequenceColumn(SourceIndex = 0)]
    public string Text { get; set; } = "";

    /// <summary>True for positive.</summary>
    [SequenceColumn(SourceIndex = 1)]
    public bool Label { get; set; }
}

/// <summary>What the prediction engine returns for one sentence.</summary>
public sealed class SentimentPrediction
{
    /// <summary>Class probabilities (false, true).</summary>
    public float[] Score { get; set; } = [];

    /// <summary>Probability of "positive".</summary>
    public float Probability { get; set; }
}
