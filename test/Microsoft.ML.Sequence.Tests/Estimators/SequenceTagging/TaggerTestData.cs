using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Tests.Estimators.SequenceTagging;

/// <summary>A row of tokens and tags, for in-memory tagging data.</summary>
public sealed class TaggedRow
{
    public string[] Tokens { get; set; } = [];

    public string[] Tags { get; set; } = [];
}

/// <summary>A row for the prediction engine: tokens in, predicted tags and scores out.</summary>
public sealed class TaggedPrediction
{
    public string[] Tokens { get; set; } = [];

    public string[] PredictedTags { get; set; } = [];

    public float[] Score { get; set; } = [];
}

/// <summary>Slices of UD English EWT (UPOS) and a small synthetic BIO data set.</summary>
internal static class TaggerTestData
{
    public static ISequenceDataView EwtSlice(SequenceContext context, string split, int rows) =>
        context.Data.Cache(context.Data.TakeRows(
            context.Data.LoadFromConll(TestData.PathOf($"ud-english-ewt/en_ewt-ud-{split}.conllu")), rows));

    /// <summary>Sentences "the NAME of PLACE said …" with PER/LOC spans of one or two tokens, in BIO tags.</summary>
    public static ISequenceDataView SyntheticBio(SequenceContext context, int count, int seed)
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

        return context.Data.LoadFromEnumerable(rows);
    }
}
