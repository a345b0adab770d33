using Microsoft.ML.Sequence.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SentimentClassification;

namespace Microsoft.ML.Sequence.Tests.Samples;

/// <summary>The sentiment sample's validation split (compiled in from samples/SentimentClassification): whole
/// sentences held out, and no phrase trained on that only a held-out sentence contains.</summary>
[TestClass]
public sealed class SentenceHoldoutTests
{
    /// <summary>Two parse trees sharing the word "a": holding one sentence out keeps "a" (the other sentence has it) and
    /// drops the held-out sentence's own sub-phrases; which sentence is held out is the seed's choice.</summary>
    [TestMethod]
    public void HoldsOutOneWholeSentenceAndDropsThePhrasesOnlyItContains()
    {
        string[] film = ["a good film", "a good", "good  film", "good", "film", "a"];
        string[] movie = ["a bad movie", "bad movie", "bad", "movie", "a bad"];
        Review[] phrases = film.Concat(movie).Select((text, i) => new Review { Text = text, Label = i < film.Length }).ToArray();
        var heldOutSeen = new HashSet<string>();
        for (int seed = 1; seed <= 8; seed++)
        {
            (List<Review> training, List<Review> validation) = SentenceHoldout.Split(phrases, fraction: 0.5, seed);

            Assert.HasCount(1, validation, $"seed {seed}");
            string heldOut = validation[0].Text;
            heldOutSeen.Add(heldOut);
            string[] kept = heldOut == "a good film" ? [.. movie, "a"] : film;
            CollectionAssert.AreEquivalent(kept, training.Select(r => r.Text).ToArray(), $"seed {seed}, held out '{heldOut}'");
        }

        CollectionAssert.AreEquivalent(new[] { "a good film", "a bad movie" }, heldOutSeen.ToArray(), "eight seeds should draw both sentences");
    }

    [TestMethod]
    public void FractionZeroKeepsEveryPhrase()
    {
        Review[] phrases = new[] { "x y", "x", "y", "z" }.Select(text => new Review { Text = text }).ToArray();

        (List<Review> training, List<Review> validation) = SentenceHoldout.Split(phrases, fraction: 0, seed: 1);

        Assert.IsEmpty(validation);
        CollectionAssert.AreEqual(phrases, training);
    }

    /// <summary>On SST-2 train: 10% of its 6,890 sentences held out, none of them (nor a sub-phrase found in no other
    /// sentence) left in training, and the counts the sample prints.</summary>
    [TestMethod]
    public void Sst2TrainSplitsIntoWholeSentencesWithNoOverlap()
    {
        var ml = new MLContext(seed: 1);
        List<Review> phrases = ml.Data.CreateEnumerable<SentimentData.Sst2Row>(SentimentData.Sst2(ml, "train.tsv"), reuseRowObject: false)
            .Select(r => new Review { Text = r.Text, Label = r.Label }).ToList();

        (List<Review> training, List<Review> validation) = SentenceHoldout.Split(phrases, fraction: 0.1, seed: 1);

        Assert.HasCount(689, validation);
        var trainedTexts = new HashSet<string>(training.Select(r => Normalised(r.Text)), StringComparer.Ordinal);
        string[] leaked = validation.Select(r => Normalised(r.Text)).Where(trainedTexts.Contains).ToArray();
        Assert.IsEmpty(leaked, $"held-out sentences also in training: {string.Join(" | ", leaked.Take(3))}");
        Assert.HasCount(61254, training);
        Assert.AreEqual(5406, phrases.Count - training.Count - validation.Count, "phrases left out");
    }

    private static string Normalised(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
