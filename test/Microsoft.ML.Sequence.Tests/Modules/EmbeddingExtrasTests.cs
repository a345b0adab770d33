using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Modules.Embeddings;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Modules;

[TestClass]
public sealed class EmbeddingExtrasTests
{
    private static readonly Dictionary<string, long> Vocabulary = new()
    {
        ["the"] = 2, ["cat"] = 3, ["sat"] = 4, ["unseen"] = 5,
    };

    [TestMethod]
    public void LoadsMatchingWordsAndLeavesTheRest()
    {
        string path = WriteFile("the 0.1 0.2 0.3", "cat -1 -2 -3", "dog 9 9 9", "sat 1e-1 2.5 -0", "mat 0 0 0");
        using var scope = torch.NewDisposeScope();
        using var embedding = Initialization.Embedding(6, 3, new Generator(1));
        float[] before = BlockTensors.Floats(embedding.weight!);
        PretrainedVectorsReport report = PretrainedEmbeddings.Load(path, Vocabulary, embedding);
        Assert.AreEqual(3, report.MatchedWords);
        Assert.AreEqual(5, report.FileWords);
        Assert.AreEqual(4, report.VocabularySize);
        Assert.AreEqual(0.75, report.Coverage, 1e-12);
        float[] after = BlockTensors.Floats(embedding.weight!);
        CollectionAssert.AreEqual(new[] { 0.1f, 0.2f, 0.3f }, after[6..9], "the");
        CollectionAssert.AreEqual(new[] { -1f, -2f, -3f }, after[9..12], "cat");
        CollectionAssert.AreEqual(new[] { 0.1f, 2.5f, 0f }, after[12..15], "sat");
        CollectionAssert.AreEqual(before[15..18], after[15..18], "unseen keeps its initialisation");
        CollectionAssert.AreEqual(new float[3], after[0..3], "PAD row stays zero");
        Assert.IsTrue(embedding.weight!.requires_grad, "loading keeps the weight trainable");
        File.Delete(path);
    }

    [TestMethod]
    public void AcceptsWord2VecHeader()
    {
        string path = WriteFile("2 3", "cat 1 2 3", "the 4 5 6");
        using var embedding = Initialization.Embedding(6, 3, new Generator(1));
        Assert.AreEqual(2, PretrainedEmbeddings.Load(path, Vocabulary, embedding).MatchedWords);
        File.Delete(path);
    }

    [TestMethod]
    public void SeveralEmbeddingsMustShareOneShape()
    {
        string path = WriteFile("cat 1 2 3");
        using var three = Initialization.Embedding(6, 3, new Generator(1));
        using var four = Initialization.Embedding(6, 4, new Generator(1));
        var e = Assert.ThrowsExactly<ArgumentException>(() => PretrainedEmbeddings.Load(path, Vocabulary, [three, four]));
        StringAssert.Contains(e.Message, "differ in shape");
        File.Delete(path);
    }

    [TestMethod]
    public void MalformedLinesNameFileAndLine()
    {
        using var embedding = Initialization.Embedding(6, 3, new Generator(1));
        string shortLine = WriteFile("the 1 2 3", "cat 1 2", "sat 1 2 3");
        var e = Assert.ThrowsExactly<FormatException>(() => PretrainedEmbeddings.Load(shortLine, Vocabulary, embedding));
        StringAssert.Contains(e.Message, shortLine);
        StringAssert.Contains(e.Message, "line 2");
        string notNumber = WriteFile("the 1 2 3", "cat 1 x 3");
        e = Assert.ThrowsExactly<FormatException>(() => PretrainedEmbeddings.Load(notNumber, Vocabulary, embedding));
        StringAssert.Contains(e.Message, "line 2, value 2");
        File.Delete(shortLine);
        File.Delete(notNumber);
    }

    [TestMethod]
    public void CharacterEncoderGivesEachWordItsOwnVectorAndZerosForPadding()
    {
        using var scope = torch.NewDisposeScope();
        using var encoder = new CharacterWordEncoder(characterCount: 10, characterEmbeddingSize: 4, hiddenSize: 3, new Generator(2));
        encoder.eval();
        // Two sentences of up to 3 words, words of up to 4 characters; sentence 1 has 2 words.
        long[] chars = [1, 2, 3, 0, 4, 0, 0, 0, 5, 6, 7, 8,
                        9, 9, 0, 0, 2, 3, 4, 5, 0, 0, 0, 0];
        long[] lengths = [3, 1, 4, 2, 4, 0];
        Tensor encoded = encoder.Forward(torch.tensor(chars, [2, 3, 4]), torch.tensor(lengths, [2, 3]));
        CollectionAssert.AreEqual(new long[] { 2, 3, 6 }, encoded.shape);
        float[] all = BlockTensors.Floats(encoded);
        CollectionAssert.AreEqual(new float[6], all[30..36], "padding word");
        for (int word = 0; word < 5; word++)
        {
            Tensor alone = encoder.Encode(torch.tensor(chars[(word * 4)..(word * 4 + 4)], [1, 4]), torch.tensor(new[] { lengths[word] }));
            float[] expected = BlockTensors.Floats(alone);
            for (int f = 0; f < 6; f++)
            {
                Assert.AreEqual(expected[f], all[word * 6 + f], 1e-6, $"word {word}, feature {f}");
            }
        }
    }

    [TestMethod]
    public void CharacterEncoderParametersAreNamedOnceAndAllTrain()
    {
        using var encoder = new CharacterWordEncoder(characterCount: 10, characterEmbeddingSize: 4, hiddenSize: 3, new Generator(3));
        string[] keys = encoder.state_dict().Keys.ToArray();
        Assert.Contains("characters.weight", keys);
        Assert.IsTrue(keys.All(k => k == "characters.weight" || k.StartsWith("lstm.", StringComparison.Ordinal)), string.Join(", ", keys));
        Assert.IsTrue(keys.Any(k => k.EndsWith("weight_ih_l0_reverse", StringComparison.Ordinal)), string.Join(", ", keys));
        Assert.AreEqual(encoder.parameters().Count(), keys.Length, "every parameter once in the state dictionary");
        encoder.to(ScalarType.Float64);
        CollectionAssert.AreEquivalent(keys, encoder.state_dict().Keys.ToArray(), "a dtype change keeps the names");
        using var scope = torch.NewDisposeScope();
        long[] chars = [1, 2, 3, 0, 4, 0, 0, 0];
        encoder.Forward(torch.tensor(chars, [1, 2, 4]), torch.tensor(new long[] { 3, 1 }, [1, 2])).sum().backward();
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in encoder.named_parameters())
        {
            Assert.IsNotNull(parameter.grad, $"{name} has no gradient");
        }
    }

    private static string WriteFile(params string[] lines)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vectors-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }
}
