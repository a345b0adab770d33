using Microsoft.ML.Sequence.Estimators.CtcRecognition;
using Microsoft.ML.Sequence.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.Sequence.Tests.Estimators.CtcRecognition;

/// <summary>The character n-gram model: hand-computed add-k and Kneser–Ney probabilities, distributions that sum to 1,
/// and a saved format that round-trips and rejects damage.</summary>
[TestClass]
public sealed class CharacterLanguageModelTests
{
    private static readonly string[] Sentences =
    [
        "the cat sat on the mat",
        "a cat and a hat",
        "the hat is on the cat",
        "that is the mat",
        "cats sit on mats",
    ];

    [TestMethod]
    public void AddKByHand()
    {
        // "ab", order 2, k = 1; vocabulary: end, unknown, a, b (V = 4). Bigrams: <s>a, ab, b</s>.
        CharacterLanguageModel lm = CharacterLanguageModel.Train(["ab"],
            new CharacterLanguageModelOptions { Order = 2, Smoothing = LanguageModelSmoothing.AddK, AddKCount = 1 });
        Assert.AreEqual("ab", lm.Characters);
        Assert.AreEqual(4, lm.VocabularySize);
        Assert.AreEqual(Math.Log(2.0 / 5), lm.LogProbability("", 'a'), 1e-12);
        Assert.AreEqual(Math.Log(1.0 / 5), lm.LogProbability("", 'b'), 1e-12);
        Assert.AreEqual(Math.Log(2.0 / 5), lm.EndOfLineLogProbability("ab"), 1e-12);
        Assert.AreEqual(Math.Log(1.0 / 5), lm.LogProbability("a", 'z'), 1e-12, "an unknown character gets k");
        // History 'z' was never seen: back off to the unigram counts a 1, b 1, end 1 (total 3).
        Assert.AreEqual(Math.Log(2.0 / 7), lm.LogProbability("z", 'a'), 1e-12);
        Assert.AreEqual(Math.Log(2.0 / 5 * 2.0 / 5 * 2.0 / 5), lm.LineLogProbability("ab"), 1e-12);
    }

    [TestMethod]
    public void KneserNeyByHand()
    {
        // "ab", order 2, D = 0.5. Continuation counts of the unigrams (distinct left neighbours): a 1, b 1, end 1 of 3, so
        // P1(w) = (1 - 0.5) / 3 + 0.5 · 3 / 3 · 1/4 for a, b and end, and 0.125 for unknown.
        // After <s> (seen once, one successor a): P(a) = 0.5 + 0.5 · P1(a), P(b) = 0.5 · P1(b).
        CharacterLanguageModel lm = CharacterLanguageModel.Train(["ab"],
            new CharacterLanguageModelOptions { Order = 2, Smoothing = LanguageModelSmoothing.KneserNey, Discount = 0.5 });
        double p1 = 0.5 / 3 + 0.125;
        Assert.AreEqual(Math.Log(0.5 + 0.5 * p1), lm.LogProbability("", 'a'), 1e-12);
        Assert.AreEqual(Math.Log(0.5 * p1), lm.LogProbability("", 'b'), 1e-12);
        Assert.AreEqual(Math.Log(0.5 * 0.125), lm.LogProbability("", '?'), 1e-12);
        Assert.AreEqual(Math.Log(0.5 + 0.5 * p1), lm.EndOfLineLogProbability("ab"), 1e-12);
        Assert.AreEqual(Math.Log(p1), lm.LogProbability("?", 'a'), 1e-12, "an unseen history falls back to P1");
    }

    [TestMethod]
    public void DistributionsSumToOneForBothSmoothings()
    {
        string[] histories = ["", "t", "th", "the ", "the cat sat on the", "zzz", "qa", "cat z", "  "];
        foreach (LanguageModelSmoothing smoothing in Enum.GetValues<LanguageModelSmoothing>())
        {
            foreach (int order in new[] { 1, 2, 3, 5, 8 })
            {
                CharacterLanguageModel lm = CharacterLanguageModel.Train(Sentences,
                    new CharacterLanguageModelOptions { Order = order, Smoothing = smoothing });
                foreach (string history in histories)
                {
                    // Every vocabulary character, one character it has never seen (the unknown symbol), and the end.
                    double sum = lm.Characters.Sum(c => Math.Exp(lm.LogProbability(history, c)))
                        + Math.Exp(lm.LogProbability(history, '#')) + Math.Exp(lm.EndOfLineLogProbability(history));
                    Assert.AreEqual(1.0, sum, 1e-12, $"{smoothing}, order {order}, history '{history}'");

                    // The decoder's path (table entries found once per history, then one symbol at a time) agrees.
                    CharacterContext?[] contexts = lm.Contexts(history);
                    Assert.AreEqual(lm.EndOfLineLogProbability(history), lm.LogProbability(contexts, 0), 1e-12);
                    Assert.AreEqual(lm.LogProbability(history, '#'), lm.LogProbability(contexts, 1), 1e-12);
                    foreach (char c in lm.Characters)
                    {
                        Assert.AreEqual(lm.LogProbability(history, c), lm.LogProbability(contexts, lm.SymbolOf(c)), 1e-12);
                    }

                    // ... and so does the whole distribution at once (what the beam search caches per prefix).
                    var all = new double[lm.VocabularySize];
                    lm.Distribution(contexts, all);
                    for (int symbol = 0; symbol < all.Length; symbol++)
                    {
                        Assert.AreEqual(Math.Exp(lm.LogProbability(contexts, symbol)), all[symbol], 1e-12, $"symbol {symbol}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void SeenTextIsMoreLikelyAndKneserNeyGeneralisesBetter()
    {
        CharacterLanguageModel kn = CharacterLanguageModel.Train(Sentences);
        CharacterLanguageModel addK = CharacterLanguageModel.Train(Sentences,
            new CharacterLanguageModelOptions { Smoothing = LanguageModelSmoothing.AddK });
        Assert.IsGreaterThan(kn.LineLogProbability("hte cta"), kn.LineLogProbability("the cat"));
        Assert.IsGreaterThan(addK.LineLogProbability("hte cta"), addK.LineLogProbability("the cat"));
        string[] heldOut = ["the cat is on a mat", "a hat sat on the cats"];
        Assert.IsLessThan(addK.Perplexity(heldOut), kn.Perplexity(heldOut));
        Assert.IsGreaterThan(1.0, kn.Perplexity(heldOut));
    }

    [TestMethod]
    public void SaveAndLoadRoundTrip()
    {
        foreach (LanguageModelSmoothing smoothing in Enum.GetValues<LanguageModelSmoothing>())
        {
            CharacterLanguageModel lm = CharacterLanguageModel.Train(Sentences,
                new CharacterLanguageModelOptions { Order = 4, Smoothing = smoothing, AddKCount = 0.25, Discount = 0.6 });
            byte[] bytes = Save(lm);
            CharacterLanguageModel loaded = CharacterLanguageModel.Load(new MemoryStream(bytes));
            Assert.AreEqual(lm.Order, loaded.Order);
            Assert.AreEqual(smoothing, loaded.Smoothing);
            Assert.AreEqual(0.25, loaded.AddKCount);
            Assert.AreEqual(0.6, loaded.Discount);
            Assert.AreEqual(lm.Characters, loaded.Characters);
            foreach (string line in Sentences.Append("unseen text!"))
            {
                Assert.AreEqual(lm.LineLogProbability(line), loaded.LineLogProbability(line), 0.0);
            }

            CollectionAssert.AreEqual(bytes, Save(loaded), "equal models save equal bytes");
        }
    }

    [TestMethod]
    public void LoadRejectsDamagedData()
    {
        byte[] bytes = Save(CharacterLanguageModel.Train(Sentences));
        foreach (int length in new[] { 0, 5, 8, 20, 51, 60, bytes.Length - 1 })
        {
            ModelFormatException cut = Assert.ThrowsExactly<ModelFormatException>(() => CharacterLanguageModel.Load(new MemoryStream(bytes[..length])));
            StringAssert.Contains(cut.Message, length < 8 ? "not a character language model" : "truncated", $"cut at {length}");
        }

        byte[] flipped = (byte[])bytes.Clone();
        flipped[^10] ^= 0x40;
        StringAssert.Contains(Assert.ThrowsExactly<ModelFormatException>(() => CharacterLanguageModel.Load(new MemoryStream(flipped))).Message,
            "corrupt");

        byte[] newer = (byte[])bytes.Clone();
        BitConverter.GetBytes(2).CopyTo(newer, 8);
        StringAssert.Contains(Assert.ThrowsExactly<ModelFormatException>(() => CharacterLanguageModel.Load(new MemoryStream(newer))).Message,
            "newer");

        byte[] foreign = (byte[])bytes.Clone();
        foreign[0] = (byte)'X';
        StringAssert.Contains(Assert.ThrowsExactly<ModelFormatException>(() => CharacterLanguageModel.Load(new MemoryStream(foreign))).Message,
            "not a character language model");
    }

    [TestMethod]
    public void TravelsInAComponentAsOneByteTensor()
    {
        CharacterLanguageModel lm = CharacterLanguageModel.Train(Sentences, new CharacterLanguageModelOptions { Order = 3 });
        var save = new ComponentSaveContext("Test.Component", 1);
        save.WriteLanguageModel("language_model", lm);
        SafeTensorsEntry entry = save.Tensors["language_model"];
        Assert.AreEqual(TorchSharp.torch.ScalarType.Byte, entry.DType);
        Assert.AreEqual(1, entry.Shape.Length);

        var load = new ComponentLoadContext("Test.Component", new System.Text.Json.Nodes.JsonObject(), 1,
            new Dictionary<string, SafeTensorsEntry>(save.Tensors), device: null);
        CharacterLanguageModel loaded = load.ReadLanguageModel("language_model");
        Assert.AreEqual(lm.LineLogProbability("the hat"), loaded.LineLogProbability("the hat"), 0.0);

        byte[] damaged = entry.Data.ToArray();
        damaged[^3] ^= 1;
        var bad = new ComponentLoadContext("Test.Component", new System.Text.Json.Nodes.JsonObject(), 1,
            new Dictionary<string, SafeTensorsEntry> { ["language_model"] = new("language_model", entry.DType, entry.Shape, damaged) }, device: null);
        ModelFormatException e = Assert.ThrowsExactly<ModelFormatException>(() => bad.ReadLanguageModel("language_model"));
        StringAssert.Contains(e.Message, "Test.Component, tensor 'language_model'");
        StringAssert.Contains(e.Message, "corrupt");
    }

    [TestMethod]
    public void TrainsFromAFileAndADataViewColumn()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "lines.txt");
        File.WriteAllLines(path, ["", .. Sentences, ""]);
        CharacterLanguageModel fromFile = CharacterLanguageModel.TrainFromFile(path);
        CharacterLanguageModel fromLines = CharacterLanguageModel.Train(Sentences);
        Assert.AreEqual(fromLines.LineLogProbability("the mat"), fromFile.LineLogProbability("the mat"), 0.0);

        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(Sentences.Select(s => new TextRow { Text = s }));
        Assert.AreEqual(fromLines.LineLogProbability("the mat"), CharacterLanguageModel.Train(data).LineLogProbability("the mat"), 0.0);
        ArgumentOutOfRangeException missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CharacterLanguageModel.Train(data, "Label"));
        StringAssert.Contains(missing.Message, "Could not find text column 'Label'");

        string empty = Path.Combine(folder.Path, "empty.txt");
        File.WriteAllLines(empty, ["", ""]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => CharacterLanguageModel.TrainFromFile(empty)).Message, "empty.txt");
        Assert.ThrowsExactly<FileNotFoundException>(() => CharacterLanguageModel.TrainFromFile(Path.Combine(folder.Path, "none.txt")));
    }

    [TestMethod]
    public void OptionsAreChecked()
    {
        foreach ((CharacterLanguageModelOptions options, string name) in new[]
        {
            (new CharacterLanguageModelOptions { Order = 0 }, "Order"),
            (new CharacterLanguageModelOptions { Order = 17 }, "Order"),
            (new CharacterLanguageModelOptions { Discount = 0 }, "Discount"),
            (new CharacterLanguageModelOptions { Discount = 1.5 }, "Discount"),
            (new CharacterLanguageModelOptions { AddKCount = 0 }, "AddKCount"),
            (new CharacterLanguageModelOptions { Smoothing = (LanguageModelSmoothing)7 }, "Smoothing"),
        })
        {
            ArgumentOutOfRangeException e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => CharacterLanguageModel.Train(Sentences, options));
            Assert.AreEqual(name, e.ParamName);
        }
    }

    private static byte[] Save(CharacterLanguageModel lm)
    {
        using var stream = new MemoryStream();
        lm.Save(stream);
        return stream.ToArray();
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
