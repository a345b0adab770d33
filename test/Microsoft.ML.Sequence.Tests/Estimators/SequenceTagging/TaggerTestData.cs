using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>A row of tokens and tag strings, for in-memory tagging data (<c>MapValueToKey("Label", "Tags")</c> keys the tags).</summary>
public sealed class TaggedRow
{
    public string[] Tokens { get; set; } = [];

    public string[] Tags { get; set; } = [];
}

/// <summary>A CoNLL-U sentence: word forms and universal part-of-speech tags.</summary>
public sealed class ConllURow
{
    public string[] Tokens { get; set; } = [];

    public string[] Upos { get; set; } = [];
}

/// <summary>What the tagging pipelines give back: tokens, per-token tag strings (after <c>MapKeyToValue</c>) and scores.</summary>
public sealed class TaggedPrediction
{
    public string[] Tokens { get; set; } = [];

    public string[] PredictedTags { get; set; } = [];

    public float[] Score { get; set; } = [];
}

/// <summary>Slices of UD English EWT (UPOS) and a small synthetic BIO data set, as ML.NET data views.</summary>
internal static class TaggerTestData
{
    /// <summary>A CoNLL-U file through the library's loader (columns Tokens, Upos, … as vectors of text).</summary>
    public static IDataView LoadConllU(MLContext ml, string path) => ml.Data.LoadFromConllU(path);

    /// <summary>The first <paramref name="rows"/> sentences of an EWT split, cached.</summary>
    public static IDataView EwtSlice(MLContext ml, string split, int rows) =>
        ml.Data.Cache(ml.Data.TakeRows(LoadConllU(ml, TestData.PathOf($"ud-english-ewt/en_ewt-ud-{split}.conllu")), rows));

    /// <summary>Sentences "the NAME of PLACE said …" with PER/LOC spans of one or two tokens, in BIO tags.</summary>
    public static IDataView SyntheticBio(MLContext ml, int count, int seed) => ml.Data.LoadFromEnumerable(SyntheticBioRows(count, seed));

    public static List<TaggedRow> SyntheticBioRows(int count, int seed)
    {
        string[] firstNames = ["anna", "boris", "chen", "dara", "emil", "fatima"];
        string[] lastNames = ["smith", "ivanova", "li", "okafor"];
        string[] places = ["paris", "lagos", "oslo", "lima", "new", "york"];
        string[] fillers = ["the", "a", "said", "went", "to", "from", "today", "and", "met"];
        var random = new Random(seed);
        var rows = new List<TaggedRow>();
        for (int i = 0; i < count; i++)
        {
            var tokens = new List<string>();
            var tags = new List<string>();
            int parts = random.Next(2, 5);
            for (int p = 0; p < parts; p++)
            {
                tokens.Add(fillers[random.Next(fillers.Length)]);
                tags.Add("O");
                switch (random.Next(3))
                {
                    case 0:
                        tokens.Add(firstNames[random.Next(firstNames.Length)]);
                        tags.Add("B-PER");
                        if (random.Next(2) == 0)
                        {
                            tokens.Add(lastNames[random.Next(lastNames.Length)]);
                            tags.Add("I-PER");
                        }

                        break;
                    case 1:
                        tokens.Add(places[random.Next(places.Length)]);
                        tags.Add("B-LOC");
                        break;
                }
            }

            rows.Add(new TaggedRow { Tokens = tokens.ToArray(), Tags = tags.ToArray() });
        }

        return rows;
    }

    /// <summary>Reads a vector-of-Text column as arrays, row by row.</summary>
    public static List<string[]> TextVectors(IDataView view, string column)
    {
        var rows = new List<string[]>();
        DataViewSchema.Column c = view.Schema[column];
        using DataViewRowCursor cursor = view.GetRowCursor([c]);
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(c);
        VBuffer<ReadOnlyMemory<char>> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().Select(v => v.ToString()).ToArray());
        }

        return rows;
    }

    /// <summary>Reads a float-vector column as arrays, row by row.</summary>
    public static List<float[]> FloatVectors(IDataView view, string column)
    {
        var rows = new List<float[]>();
        DataViewSchema.Column c = view.Schema[column];
        using DataViewRowCursor cursor = view.GetRowCursor([c]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(c);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }

        return rows;
    }
}
