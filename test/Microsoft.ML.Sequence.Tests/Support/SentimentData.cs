using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Tests.Support;

/// <summary>SST-2 through ML.NET's own text loader, and small in-memory sentiment rows.</summary>
internal static class SentimentData
{
    /// <summary>An SST-2 file (<c>label\tsentence</c> with a header) as Label (Boolean) and Text.</summary>
    public static IDataView Sst2(MLContext ml, string file) =>
        ml.Data.LoadFromTextFile<Sst2Row>(TestData.PathOf($"sst2/{file}"), separatorChar: '\t', hasHeader: true, allowQuoting: false);

    /// <summary>The first <paramref name="rows"/> rows of an SST-2 file, cached in memory.</summary>
    public static IDataView Sst2(MLContext ml, string file, int rows) => ml.Data.Cache(ml.Data.TakeRows(Sst2(ml, file), rows));

    /// <summary>Two separable classes: "good fine nice i" (pos) and "bad awful poor i" (neg), alternating.</summary>
    public static LabelledText[] Separable(int count) => Enumerable.Range(0, count).Select(i => new LabelledText
    {
        Sentence = i % 2 == 0 ? $"good fine nice {i}" : $"bad awful poor {i}",
        Sentiment = i % 2 == 0 ? "pos" : "neg",
        Positive = i % 2 == 0,
    }).ToArray();

    internal sealed class Sst2Row
    {
        [LoadColumn(0)]
        public bool Label { get; set; }

        [LoadColumn(1)]
        public string Text { get; set; } = "";
    }
}

/// <summary>A sentence, its label as text and as a Boolean.</summary>
public sealed class LabelledText
{
    public string Sentence { get; set; } = "";

    public string Sentiment { get; set; } = "";

    public bool Positive { get; set; }
}

/// <summary>What a prediction engine returns for a multiclass model after MapKeyToValue.</summary>
public sealed class MulticlassPrediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}

/// <summary>What a prediction engine returns for a binary model.</summary>
public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }
}
