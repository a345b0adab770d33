using Microsoft.ML.Data;

namespace SentimentClassification;

/// <summary>A labelled sentence of SST-2 (<c>label TAB sentence</c>, after a header line), in the column order of its files.</summary>
public sealed class Sst2Review
{
    /// <summary>True for positive (the file holds 0 or 1).</summary>
    [LoadColumn(0)]
    public bool Label { get; set; }

    /// <summary>The sentence (already tokenised by SST-2, lowercased).</summary>
    [LoadColumn(1)]
    public string Text { get; set; } = "";
}

/// <summary>A labelled sentence of the UCI Sentiment Labelled Sentences (<c>sentence TAB label</c>, no header).</summary>
public sealed class UciReview
{
    /// <summary>The sentence.</summary>
    [LoadColumn(0)]
    public string Text { get; set; } = "";

    /// <summary>True for positive (the file holds 0 or 1).</summary>
    [LoadColumn(1)]
    public bool Label { get; set; }
}

/// <summary>One row of the training set both models see: SST-2 train and the UCI 80%, with the same columns.</summary>
public sealed class Review
{
    /// <summary>The sentence.</summary>
    public string Text { get; set; } = "";

    /// <summary>True for positive.</summary>
    public bool Label { get; set; }
}

/// <summary>What a binary classifier adds to a row, read by the prediction engine.</summary>
public sealed class SentimentPrediction
{
    /// <summary>The raw margin, log of P(positive) / P(negative).</summary>
    public float Score { get; set; }

    /// <summary>Probability of "positive".</summary>
    public float Probability { get; set; }

    /// <summary>Positive when <see cref="Probability"/> is above 0.5.</summary>
    public bool PredictedLabel { get; set; }
}
