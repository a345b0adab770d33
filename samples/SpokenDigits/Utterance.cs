using Microsoft.ML.Data;

/// <summary>A row of a manifest: the WAV file (relative to the corpus folder), its digits and how it was spoken.</summary>
internal sealed class Utterance
{
    /// <summary>The WAV file, relative to the corpus folder.</summary>
    [LoadColumn(0)]
    public string AudioPath { get; set; } = "";

    /// <summary>The digits spoken, separated by single spaces ("3 1 4"), so that WER counts digits.</summary>
    [LoadColumn(1)]
    public string Text { get; set; } = "";

    /// <summary>The espeak-ng voice.</summary>
    [LoadColumn(2)]
    public string Voice { get; set; } = "";

    /// <summary>Words per minute (espeak-ng <c>-s</c>).</summary>
    [LoadColumn(3)]
    public int Speed { get; set; }

    /// <summary>Pitch, 0–99 (espeak-ng <c>-p</c>).</summary>
    [LoadColumn(4)]
    public int Pitch { get; set; }
}

/// <summary>A recognised utterance as the sample reads it back.</summary>
internal sealed class RecognisedUtterance
{
    public string AudioPath { get; set; } = "";

    public string Text { get; set; } = "";

    public string Voice { get; set; } = "";

    public string PredictedText { get; set; } = "";
}
